"""RDF forms of the few fields that the default mapping does not fit.

A field declared with `term(..., codec=X)` is written, read, shaped and documented by `X`.
The default mapping (see `formats.rdf.mapping`) follows from the field's type; a codec either
replaces it (opening hours in OWL-Time, provider roles) or, with `generic = True`, adds to it
(an organisation's name also written as `dct:title`, a missing service kind filled in).

Codecs speak RDF through the writer and reader they are given, by CURIEs (`time:hasEnd`), so
this package stays free of any RDF library. The writer offers `add((s, p, o))`, `term(curie)`,
`text(value, lang)`, `typed_literal(text, datatype_curie)`, `blank()`, `iri(text)`, `frequency(code)`,
`owned_node(owner, segment, id)` and `typed_node(node, class_term)`; the reader offers `graph`, `term(curie)`, `take(props,
curie)`, `text_of(obj)`, `repair(message)`, `leftover(triple)`, `visit(node)`,
`value_node(node)`, `identify(node, collection)`, `is_member(node, collection)` and
`vocabulary`.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from .enums import DeliveryTask, Office, Weekday


class Unreadable(Exception):
    """The node cannot be read as its model: its triples are left over, the link to it too."""


class RdfCodec:
    """A field's RDF form where the default one does not fit. One object may serve several
    fields that share one form (opening times and their weekdays); it is used once per node."""

    generic = False
    """True: the default mapping writes and reads the field as usual, and the codec adds to it."""

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        """Add what the field says about `subject`; `data` is the model dumped in JSON mode."""

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        """Set the field in `data` from `props` (the node's predicates → objects not yet read),
        taking out what it uses; raise Unreadable when the node cannot be the model."""

    def shape(self, vocabulary: str) -> tuple[str, int, list[str]] | None:
        """(path, minimum count, allowed IRIs) of the SHACL property shape, or None for none."""
        return None

    def how(self, field: str) -> str | None:
        """How `field` is written, for the mapping table; None: as the default says."""
        return None


class FilledIn(RdfCodec):
    """A value the model requires and other publishers' data may lack: read as given, or
    filled in with `value` and a repair that says so."""

    generic = True

    def __init__(self, field: str, value: str, owner: str, missing: str) -> None:
        self.field, self.value, self.owner, self.missing = field, value, owner, missing

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        if self.field not in data:
            data[self.field] = self.value
            into.repair(f"{self.owner} {data.get('id')!r} has no {self.missing}: taken as {self.value!r}")


class MemberIdentifier(RdfCodec):
    """A member's identifier, made unique in its collection before its other fields are
    read, so that repairs name it as it will be known."""

    generic = True

    def __init__(self, collection: str) -> None:
        self.collection = collection

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        data["id"] = into.identify(node, self.collection)


class AdmsIdentifier(RdfCodec):
    """An identifier in someone else's system: a blank `adms:Identifier` with `skos:notation`."""

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        if "source_id" in data:
            identifier = out.blank()
            out.add((subject, out.term("adms:identifier"), identifier))
            out.add((identifier, out.term("rdf:type"), out.term("adms:Identifier")))
            out.add((identifier, out.term("skos:notation"), out.text(data["source_id"])))

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        predicate = into.term("adms:identifier")
        for identifier in into.take(props, "adms:identifier"):
            notation = next(into.graph.objects(identifier, into.term("skos:notation")), None)
            if notation is None or "source_id" in data:
                into.leftover((node, predicate, identifier))
            else:
                data["source_id"] = str(notation)
                into.visit(identifier)

    def how(self, field: str) -> str:
        return "blank node adms:Identifier with skos:notation"


class ServiceInputs(RdfCodec):
    """A service's inputs, and also the evidence of its requirements (`cpsv:hasInput`), which
    the model holds once, under the requirement."""

    generic = True

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        has_input = out.term("cpsv:hasInput")
        for requirement in data.get("requirements", []):
            for evidence in requirement.get("evidence", []):
                out.add((subject, has_input, out.owned_node(subject, "evidence", evidence["id"])))

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        # Nodes are read once, so the same evidence is the same dict under its requirement.
        supporting = {id(evidence) for requirement in data.get("requirements", []) for evidence in requirement.get("evidence", [])}
        inputs = [evidence for evidence in data.pop("inputs", []) if id(evidence) not in supporting]
        if inputs:
            data["inputs"] = inputs


# The ADMS status vocabulary (CPSV-AP 2.2.1's recommendation) → our service status.
_ADMS_STATUSES = {"http://purl.org/adms/status/Completed": "active", "http://purl.org/adms/status/UnderDevelopment": "planned",
                  "http://purl.org/adms/status/Deprecated": "discontinued", "http://purl.org/adms/status/Withdrawn": "discontinued"}


class AdmsStatus(RdfCodec):
    """A service's status: a concept of ours, or read from the ADMS status vocabulary."""

    generic = True

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        if "status" in data:
            return
        statuses = props.get(into.term("adms:status"), [])
        for status in list(statuses):
            if str(status) in _ADMS_STATUSES:
                data["status"] = _ADMS_STATUSES[str(status)]
                statuses.remove(status)
                into.repair(f"service {data.get('id')!r}: ADMS status <{status}> taken as {data['status']!r}")
                return


# What other vocabularies name an organisation by, in the order they are taken when it has no skos:prefLabel.
_OTHER_NAMES = ("dct:title", "foaf:name", "http://www.w3.org/ns/regorg#legalName")


class OrganisationName(RdfCodec):
    """An organisation's name: `skos:prefLabel`, repeated as the `dct:title` the official
    shapes require; read from other vocabularies' names when it has no label."""

    generic = True

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        title = out.term("dct:title")
        for lang, text in data["name"].items():
            out.add((subject, title, out.text(text, lang)))

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        names = data.setdefault("name", {})
        for curie in _OTHER_NAMES:
            texts = into.take(props, curie)
            titles = {}
            for obj in texts:
                found = into.text_of(obj)
                if found is not None:
                    titles[(found[0] or "lv", found[1])] = obj
            if titles and not names:
                for lang, text in titles:
                    names.setdefault(lang, text)
                shown = f"<{curie}>" if "://" in curie else curie
                into.repair(f"organisation <{node}> has no skos:prefLabel: named by its {shown}")
            for (lang, text), obj in titles.items():
                if names.get(lang) != text:
                    into.leftover((node, into.term(curie), obj))
        if not names:
            into.repair(f"organisation <{node}> has no name: named by its IRI")
            names["lv"] = into.local_name(node) or str(node)


class PlaceOfAction(RdfCodec):
    """Where an organisation acts, `dct:spatial`; a place that is not Latvia or a Latvian
    municipality is left over and the default (the whole country) taken, which is said."""

    generic = True

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        if "territory" not in data and any(True for _ in into.graph.objects(node, into.term("dct:spatial"))):
            into.repair(f"organisation {data['id']!r} acts in a place that is not Latvia or a Latvian municipality: "
                        "taken as 'LV', the place is left over")


def provider_role(vocabulary: str, task: str, office: str) -> str:
    """The IRI of the role concept of a provider doing `task` in the `office` (`pps:ProviderRole-informing-front`)."""
    return f"{vocabulary}ProviderRole-{task}-{office}"


def provider_description(tasks: list[dict[str, str]]) -> dict[str, str]:
    """What a participation says when the provider entry has no description of its own
    (CPSV-AP requires one): the tasks, in Latvian and English."""
    names = sorted((DeliveryTask(t["task"]) for t in tasks), key=list(DeliveryTask).index)
    return {"lv": "Sniedz pakalpojumu turētāja vārdā: " + ", ".join(task.lv for task in names) + ".",
            "en": "Delivers for the holder: " + ", ".join(task.value.replace("_", " ") for task in names) + "."}


class ProviderRoles(RdfCodec):
    """A provider's tasks as `cv:role` concepts `pps:ProviderRole-{task}-{office}`; the
    participation also gets the provider's identifier and, when it has none, a description
    made from the tasks (CPSV-AP requires both)."""

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        out.add((subject, out.term("dct:identifier"), out.text(f"{data['organisation']}")))
        role, concept = out.term("cv:role"), out.term("skos:Concept")
        for task in data["tasks"]:
            office = task.get("office") or DeliveryTask(task["task"]).usual_office.value
            out.add((subject, role, out.typed_node(out.iri(provider_role(out.vocabulary, task["task"], office)), concept)))
        if "description" not in data:
            description = out.term("dct:description")
            for lang, text in provider_description(data["tasks"]).items():
                out.add((subject, description, out.text(text, lang)))

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        into.take(props, "dct:identifier")
        tasks = []
        prefix = provider_role(into.vocabulary, "", "")[:-1]
        roles = props.get(into.term("cv:role"), [])
        for role in list(roles):
            match = re.fullmatch(r"(\w+)-(front|back)", str(role)[len(prefix):]) if str(role).startswith(prefix) else None
            if match and match[1] in DeliveryTask._value2member_map_:
                tasks.append({"task": match[1], "office": match[2]})
                roles.remove(role)
                into.value_node(role)
        if tasks:
            data["tasks"] = tasks
            if data.get("description") == provider_description(tasks):
                del data["description"]
        else:
            data["tasks"] = [{"task": DeliveryTask.EXECUTION.value, "office": Office.BACK.value}]
            into.repair(f"participation <{node}> has no provider role of ours: taken as execution (back office); "
                        "its roles are left over")

    def shape(self, vocabulary: str) -> tuple[str, int, list[str]]:
        return "cv:role", 1, [provider_role(vocabulary, t.value, o.value) for t in DeliveryTask for o in Office]

    def how(self, field: str) -> str:
        return "`cv:role` → concept `pps:ProviderRole-{task}-{office}`"


_WEEKDAY_NAMES = {day.value.capitalize(): day.value for day in Weekday}


class OwlTimeHours(RdfCodec):
    """Regular hours as in the official example: `time:hasBeginning` and `time:hasEnd` are
    OWL-Time instants whose date-time descriptions give the clock time and the weekdays,
    and `cv:frequency` is daily or weekly. One codec for `days`, `opens` and `closes`."""

    _HOW = {"days": "`time:dayOfWeek` on the instants' time:DateTimeDescription",
            "opens": "`time:hasBeginning` → time:Instant → time:inDateTime (hour, minute)",
            "closes": "`time:hasEnd` → time:Instant → time:inDateTime (hour, minute)"}

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        days = [out.term(f"time:{day.capitalize()}") for day in data["days"]]
        out.add((subject, out.term("time:hasBeginning"), self.instant(out, time.fromisoformat(data["opens"]), days)))
        out.add((subject, out.term("time:hasEnd"), self.instant(out, time.fromisoformat(data["closes"]), days)))
        frequency = "daily" if len(days) == 7 else "weekly"
        out.add((subject, out.term("cv:frequency"), out.typed_node(out.frequency(frequency), out.term("skos:Concept"))))

    @staticmethod
    def instant(out: Any, clock: time, days: list[Any]) -> Any:
        """An OWL-Time instant at a clock time on some weekdays."""
        add, term = out.add, out.term
        node, description = out.blank(), out.blank()
        add((node, term("rdf:type"), term("time:Instant")))
        add((node, term("time:inDateTime"), description))
        add((description, term("rdf:type"), term("time:DateTimeDescription")))
        exact = clock.second or clock.microsecond
        add((description, term("time:unitType"), term("time:unitSecond" if exact else "time:unitMinute")))
        add((description, term("time:hour"), out.typed_literal(str(clock.hour), "xsd:nonNegativeInteger")))
        add((description, term("time:minute"), out.typed_literal(str(clock.minute), "xsd:nonNegativeInteger")))
        if exact:
            seconds = f"{clock.second}.{clock.microsecond:06d}".rstrip("0").rstrip(".")
            add((description, term("time:second"), out.typed_literal(seconds, "xsd:decimal")))
        for weekday in days:
            add((description, term("time:dayOfWeek"), weekday))
        return node

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        beginning = self.clock(into, into.take(props, "time:hasBeginning"))
        end = self.clock(into, into.take(props, "time:hasEnd"))
        frequency = into.take(props, "cv:frequency")
        if beginning is None or end is None:
            into.repair(f"opening hours <{node}> give no clock times: they are left over")
            raise Unreadable
        data["opens"], data["closes"] = beginning[0], end[0]
        days = beginning[1] or end[1]
        if not days:
            days = [day.value for day in Weekday]
            into.repair(f"opening hours <{node}> name no weekdays: taken as every day")
        data["days"] = days
        for obj in frequency:
            into.value_node(obj)

    @staticmethod
    def clock(into: Any, instants: list[Any]) -> tuple[str, list[str]] | None:
        graph, term = into.graph, into.term
        day_of_week, prefix = term("time:dayOfWeek"), str(term("time:Monday"))[:-len("Monday")]
        for instant in instants:
            for description in graph.objects(instant, term("time:inDateTime")):
                values = {p: o for p, o in graph.predicate_objects(description) if p != day_of_week}
                if term("time:hour") not in values:
                    continue
                try:
                    seconds = float(values.get(term("time:second"), 0))
                    clock = time(int(values[term("time:hour")]), int(values.get(term("time:minute"), 0)), int(seconds),
                                 round((seconds % 1) * 1_000_000))
                except (ValueError, TypeError, OverflowError):  # not a clock time (a node, 25 o'clock…)
                    continue
                named = {str(d)[len(prefix):] for d in graph.objects(description, day_of_week) if str(d).startswith(prefix)}
                days = [day.value for day in Weekday if day.value.capitalize() in named]
                into.visit(instant)
                into.visit(description)
                return clock.isoformat(), days
        return None

    def how(self, field: str) -> str:
        return self._HOW[field]


class OwlTimeDays(RdfCodec):
    """A span of days: `time:hasBeginning` and `time:hasEnd` are OWL-Time instants with
    `time:inXSDDate`. One codec for `start` and `end`."""

    def write(self, out: Any, subject: Any, data: dict[str, Any], service: Any) -> None:
        out.add((subject, out.term("time:hasBeginning"), self.instant(out, data["start"])))
        out.add((subject, out.term("time:hasEnd"), self.instant(out, data["end"])))

    @staticmethod
    def instant(out: Any, day: str) -> Any:
        node = out.blank()
        out.add((node, out.term("rdf:type"), out.term("time:Instant")))
        out.add((node, out.term("time:inXSDDate"), out.typed_literal(day, "xsd:date")))
        return node

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        start, end = self.day(into, into.take(props, "time:hasBeginning")), self.day(into, into.take(props, "time:hasEnd"))
        if start is None or end is None:
            into.repair(f"special hours <{node}> give no dates: they are left over")
            raise Unreadable
        data["start"], data["end"] = start, end

    @staticmethod
    def day(into: Any, instants: list[Any]) -> str | None:
        for instant in instants:
            for value in into.graph.objects(instant, into.term("time:inXSDDate")):
                into.visit(instant)
                return str(value)
        return None

    def how(self, field: str) -> str:
        return f"`time:{'hasBeginning' if field == 'start' else 'hasEnd'}` → time:Instant with time:inXSDDate"


class CatalogueParts(RdfCodec):
    """The services of a catalogue: `dct:hasPart` each service, which is `dct:isPartOf` the
    dataset. The catalogue writer writes them member by member, as it streams."""

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        predicate = into.term("dct:hasPart")
        if predicate in props:  # the services are read as members of the catalogue
            props[predicate] = [part for part in props[predicate] if not into.is_member(part, "services")]

    def how(self, field: str) -> str:
        return "`dct:hasPart` each service IRI (and the service `dct:isPartOf` the dataset)"


class DataCube(RdfCodec):
    """Measurements: `pps:measurements` → a qb:DataSet whose qb:Observations they are. The
    catalogue writer writes them after its members; the reader reads each data set."""

    def read(self, into: Any, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        data["measurements"] = [m for cube in into.take(props, "pps:measurements") for m in into.measurement_set(cube)]

    def how(self, field: str) -> str:
        return "`pps:measurements` → a qb:DataSet; each measurement a qb:Observation in it"
