"""Hooks for other apps (risk assigns lanes here), so declarations never import risk.

Receivers run synchronously inside the sender's transaction: an exception in a receiver rolls the
submission back, and a lane written by a receiver is visible when the sender re-reads the declaration.

``declaration_lodging``
    Sent by ``services.submit_declaration`` for a new declaration *before* it is written, so a
    receiver can complete the row (risk sets its lane and status) and the row goes in once. Keyword
    arguments: ``declaration`` (Declaration, no id yet), ``items`` (list[DeclarationItem], unsaved, in
    line order), ``actor`` (User). A receiver returns None, or a function the sender calls with the
    declaration once it has its id (its items are written just after): it writes the receiver's own
    rows and returns the lifecycle events (unsaved LifecycleEvent) the sender writes with its own.

``declaration_lodged``
    Sent by ``services.submit_declaration`` after a declaration is amended (never on an idempotent
    resend). Keyword arguments: ``declaration`` (Declaration), ``actor`` (User), ``amended`` (True),
    ``items`` (None: read them).

``declarations_imported``
    Sent once at the end of a file import's transaction. Keyword arguments: ``declaration_ids``
    (list[int], created or amended by the file), ``actor`` (User), ``labels``
    (dict[int, dict] | None: per declaration id the file's label columns, e.g. ``{"fraud": 1,
    "critical": 0}``, when the import profile maps them and a customs officer imported the file;
    used to load inspection history).
"""

from django.dispatch import Signal

declaration_lodging = Signal()
declaration_lodged = Signal()
declarations_imported = Signal()
