"""The PPS domain: pydantic models of public services and what they refer to. No I/O here."""

from .base import PPSModel, Term, field_terms, format_path
from .catalogue import Catalogue, references
from .channel import Channel, ChannelShare, ChannelStrategy, SegmentAllocation
from .enums import (ChannelType, ClientSegment, DataSource, DeliveryTask, Frequency, Importance, IndicatorKind,
                    IndicatorScope, Maturity, Office, OrganisationKind, OutputType, PublishingState, ServiceKind,
                    ServiceStatus, TargetKind, Weekday, ZoneLevel, can_transition, next_states)
from .indicator import Corridor, Indicator, Measurement, Target, TargetZone, formula_references
from .organisation import Address, ContactPoint, OpeningHours, Organisation, ResponsibleRole, SpecialHours
from .service import (BusinessEvent, Cost, Event, Evidence, LegalResource, LifeEvent, Output, Provider, ProviderTask,
                      PublicService, Requirement, Rule)
from .text import LangText, normalise_language_tag
from .unified import UnifiedService

MODELS: tuple[type[PPSModel], ...] = (
    Catalogue, PublicService, Organisation, Channel, ChannelStrategy, SegmentAllocation, ChannelShare, Provider,
    ProviderTask, ResponsibleRole, Cost, Requirement, Evidence, Output, Rule, LegalResource, LifeEvent, BusinessEvent,
    Indicator, Target, TargetZone, Corridor, Measurement, UnifiedService, Address, ContactPoint, OpeningHours,
    SpecialHours,
)
"""Every model class, for tools that walk the whole model (docs, schemas, strategies)."""

__all__ = [name for name in dir() if not name.startswith("_")]
