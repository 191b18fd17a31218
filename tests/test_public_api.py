import pps_sdk


def test_issue_imports_work():
    from pps_sdk import (Catalogue, Channel, Indicator, LangText, Measurement, Organisation,  # noqa: F401
                         PublicService, UnifiedService, dump, load)

    assert callable(load) and callable(dump)


def test_every_exported_name_exists():
    missing = [name for name in pps_sdk.__all__ if not hasattr(pps_sdk, name)]
    assert missing == []
