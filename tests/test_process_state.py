"""Library calls leave the process as they found it, and do not touch what other threads rely on."""

from __future__ import annotations

import gc
import threading

import rdflib

from pps_sdk.formats import paused_gc
from pps_sdk.formats.rdf.syntax import lexical_literals, parse


def test_the_collector_is_paused_only_when_no_other_thread_runs():
    assert gc.isenabled()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with paused_gc():
            assert gc.isenabled()  # another thread may rely on it
    finally:
        release.set()
        other.join()
    if threading.active_count() == 1:  # a test runner may run threads of its own
        with paused_gc():
            assert not gc.isenabled()
    assert gc.isenabled()


def test_rdflib_keeps_normalising_literals_outside_a_parse():
    before = rdflib.NORMALIZE_LITERALS
    graph = parse(b'<http://x.example/a> <http://x.example/b> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .', "nt")
    assert [str(o) for o in graph.objects()] == ["01"]
    assert rdflib.NORMALIZE_LITERALS == before
    with lexical_literals():
        assert rdflib.NORMALIZE_LITERALS is False
    assert rdflib.NORMALIZE_LITERALS == before
