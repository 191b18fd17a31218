"""Our extension vocabulary (`schemas/pps-vocabulary.ttl`): its version.

Its terms, with their Latvian and English labels and definitions, are declared with the model
fields and classes that use them (`term(..., lv_doc=...)`, `label_lv`, `definition_lv`); the
vocabulary is generated from those declarations. Numbers in brackets in the definitions point
to paragraphs of the Latvian public service concept document.
"""

from __future__ import annotations

VOCABULARY_VERSION = "1.0"
