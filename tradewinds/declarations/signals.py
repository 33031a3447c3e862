"""Hooks for other apps (risk assigns lanes here), so declarations never import risk.

Receivers run synchronously inside the sender's transaction: an exception in a receiver rolls the
submission back, and a lane written by a receiver is visible when the sender re-reads the declaration.

``declaration_lodged``
    Sent by ``services.submit_declaration`` after a declaration is created or amended (never on an
    idempotent resend). Keyword arguments: ``declaration`` (Declaration), ``actor`` (User),
    ``amended`` (bool: True when an existing declaration got a new version), ``items``
    (list[DeclarationItem] as just written, when the sender has them; else read them). A receiver
    returns the lifecycle events it wrote (a list of LifecycleEvent, or None), so the sender can
    answer with the declaration's whole timeline without reading it back.

``declarations_imported``
    Sent once at the end of a file import's transaction. Keyword arguments: ``declaration_ids``
    (list[int], created or amended by the file), ``actor`` (User), ``labels``
    (dict[int, dict] | None: per declaration id the file's label columns, e.g. ``{"fraud": 1,
    "critical": 0}``, when the import profile maps them and a customs officer imported the file;
    used to load inspection history).
"""

from django.dispatch import Signal

declaration_lodged = Signal()
declarations_imported = Signal()
