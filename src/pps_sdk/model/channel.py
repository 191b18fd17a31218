"""Channels through which clients reach a service, and the channel strategy."""

from __future__ import annotations

from collections.abc import Iterator

from .base import PPSModel, RuleProblem, term
from .codecs import FilledIn, MemberIdentifier
from .enums import ChannelType, ClientSegment, DeliveryTask
from .indicator import Indicator
from .organisation import Address, ContactPoint, OpeningHours, SpecialHours
from .text import LangText
from .types import Duration, Identifier, Number, Url

SHARE_TOLERANCE = 0.01  # percentage points; shares are often written with one or two decimals


class Channel(PPSModel):
    """A way to reach a service (`cv:Channel`), shared by every service that lists it."""

    rdf_class = "cv:Channel"

    id: Identifier = term("dct:identifier", "identifikators", "Identifier, unique in the catalogue.", codec=MemberIdentifier("channels"))
    type: ChannelType = term("dct:type", "kanāla veids", "In person, VPVKAC, phone, e-mail, post, website, e-service, e-address, app, video, other.", codec=FilledIn("type", ChannelType.OTHER.value, "channel", "channel type of ours"))
    name: LangText | None = term("dct:title", "nosaukums", "Name, e.g. 'Tukuma novada VPVKAC'.", default=None)
    description: LangText | None = term("dct:description", "apraksts", "What the client does through this channel.", default=None)
    owner: Identifier | None = term("cv:ownedBy", "kanāla īpašnieks", "Organisation that runs the channel.", ref="organisations", default=None)
    url: Url | None = term("pps:url", "saite", "Web address of an electronic channel.", default=None, lv_doc="Elektroniska kanāla tīmekļa adrese.")
    address: Address | None = term("locn:address", "adrese", "Where to go, for channels in person.", default=None)
    contact: ContactPoint | None = term("cv:contactPoint", "kontakti", "Telephone, e-mail of the channel.", default=None)
    opening_hours: list[OpeningHours] = term("cv:openingHours", "darba laiks", "Regular hours.", default_factory=list)
    special_hours: list[SpecialHours] = term("cv:specialOpeningHoursSpecification", "īpašais darba laiks", "Days with other hours or closed.", default_factory=list)
    processing_time: Duration | None = term("cv:processingTime", "izpildes laiks", "Processing time through this channel (ISO 8601).", default=None)
    indicators: list[Indicator] = term("pps:hasIndicator", "rādītāji", "Indicators of this channel.", default_factory=list)


class ChannelShare(PPSModel):
    """Planned share of one channel, in percent."""

    rdf_class = "pps:ChannelShare"
    label_lv = "kanāla daļa"
    definition_lv = "Viena kanāla plānotā daļa procentos."

    channel: Identifier = term("pps:channel", "kanāls", "The channel.", ref="channels", lv_doc="Kanāls, uz ko attiecas daļa vai mērījums.")
    percent: Number = term("pps:plannedShare", "plānotā daļa, %", "Planned share of the segment's cases, 0–100.", ge=0, le=100, lv_doc="Plānotā segmenta gadījumu daļa kanālā, procentos (0–100).")


class SegmentAllocation(PPSModel):
    """For one client segment (and optionally one delivery step), how its cases split over channels."""

    rdf_class = "pps:SegmentAllocation"
    label_lv = "segmenta sadalījums"
    definition_lv = "Viena klientu segmenta (un, ja norādīts, viena sniegšanas soļa) gadījumu sadalījums pa kanāliem."

    segment: ClientSegment = term("pps:segment", "klientu segments", "The client segment.", lv_doc="Klientu segments [129.1].")
    step: DeliveryTask | None = term("pps:deliveryTask", "sniegšanas solis", "The step this split is for (requests, informing…); empty for the whole service.", default=None, lv_doc="Pakalpojuma sniegšanas uzdevums: informēšana, pieprasīšana, izpilde, rezultātu piegāde, konsultācijas, atsauksmes, uzskaite un kontrole [114].")
    shares: list[ChannelShare] = term("pps:share", "kanālu daļas", "Planned share per channel; together 100 %.", min_length=1, lv_doc="Viena kanāla plānotā daļa segmenta sadalījumā.")

    def broken_rules(self) -> Iterator[RuleProblem]:
        total = sum(share.percent for share in self.shares)
        if abs(total - 100) > SHARE_TOLERANCE:
            yield ("shares",), f"shares add up to {total:g} %, not 100 %"
        seen: set[str] = set()
        for index, share in enumerate(self.shares):
            if share.channel in seen:
                yield ("shares", index, "channel"), f"channel {share.channel!r} is listed twice"
            seen.add(share.channel)


class ChannelStrategy(PPSModel):
    """Which client segments use which channels, with planned shares, concept [129.3]."""

    rdf_class = "pps:ChannelStrategy"
    label_lv = "kanālu stratēģija"
    definition_lv = "Kuri klientu segmenti kādus kanālus izmanto un ar kādu plānoto daļu [129.3]."

    allocations: list[SegmentAllocation] = term("pps:allocation", "sadalījums", "One entry per client segment (and step).", min_length=1, lv_doc="Kanālu stratēģijas sadalījums vienam klientu segmentam.")
    description: LangText | None = term("dct:description", "apraksts", "Reasoning behind the strategy.", default=None)

    def broken_rules(self) -> Iterator[RuleProblem]:
        seen: set[tuple[ClientSegment, DeliveryTask | None]] = set()
        for index, allocation in enumerate(self.allocations):
            key = (allocation.segment, allocation.step)
            if key in seen:
                yield ("allocations", index, "segment"), f"segment {allocation.segment.value!r} has two allocations for the same step"
            seen.add(key)
