"""Cargo and postal declarations: a practical subset of the WCO Data Model.

Traders are identified by a code (their tax ID or the identifier their system uses); when a code
matches a registered company of the administration, the FK is filled too, which is how AEO status
reaches risk."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.tenancy import TenantOwned


class Declaration(TenantOwned):
    class Kind(models.TextChoices):
        CARGO = "cargo", _("Cargo")
        POSTAL = "postal", _("Postal or express")

    class Type(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        TRANSIT = "transit", _("Transit")

    class Status(models.TextChoices):
        LODGED = "lodged", _("Lodged")
        ASSESSED = "assessed", _("Lane assigned")
        UNDER_INSPECTION = "under_inspection", _("Under inspection")
        INSPECTED = "inspected", _("Inspected")
        RELEASED = "released", _("Released")

    class TransportMode(models.TextChoices):
        SEA = "sea", _("Sea")
        AIR = "air", _("Air")
        ROAD = "road", _("Road")
        POST = "post", _("Post")
        OTHER = "other", _("Other")

    class Lane(models.TextChoices):
        RED = "red", _("Red (physical inspection)")
        YELLOW = "yellow", _("Yellow (documents)")
        BLUE = "blue", _("Blue (post-clearance audit)")
        GREEN = "green", _("Green (release)")

    number = models.CharField(_("number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CARGO)
    declaration_type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.IMPORT)
    office_code = models.CharField(_("office"), max_length=20, blank=True)
    lodged_at = models.DateTimeField(_("lodged at"), db_index=True)
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    # Parties: codes always, registered companies when matched.
    declarant_code = models.CharField(_("declarant"), max_length=40, blank=True)
    importer_code = models.CharField(_("importer"), max_length=40, blank=True)
    seller_code = models.CharField(_("exporter / seller"), max_length=40, blank=True)
    courier_code = models.CharField(_("courier"), max_length=40, blank=True)
    declarant = models.ForeignKey("core.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    importer = models.ForeignKey("core.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Postal consignments name people rather than traders.
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    receiver_name = models.CharField(_("receiver"), max_length=200, blank=True)
    # Transport and route.
    transport_mode = models.CharField(_("transport mode"), max_length=10, choices=TransportMode.choices, blank=True)
    transport_means = models.CharField(_("vessel IMO or flight"), max_length=40, blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=5, blank=True)
    port_of_discharge = models.CharField(_("port of discharge"), max_length=5, blank=True)
    departure_country = models.CharField(_("country of departure"), max_length=2, blank=True)
    containers = models.JSONField(_("containers"), default=list, blank=True)
    # Procedure codes as the administration's system sends them (free codes, kept for risk features).
    process_type = models.CharField(_("process type"), max_length=10, blank=True)
    import_type = models.CharField(_("import type"), max_length=10, blank=True)
    import_use = models.CharField(_("import use"), max_length=10, blank=True)
    payment_type = models.CharField(_("payment type"), max_length=10, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # State.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LODGED)
    lane = models.CharField(_("lane"), max_length=10, choices=Lane.choices, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=10, default="api")
    import_batch = models.ForeignKey("declarations.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-lodged_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "number"], name="declaration_number_unique"),
        ]
        # Every lodging writes each index, so only those that queries use: every query is scoped to
        # one administration (lane and status are filtered within it and need no index of their
        # own), and a trader's declarations are found by party code. Index(), not db_index=True:
        # on PostgreSQL db_index also builds a LIKE index, and these codes are compared whole.
        indexes = [
            models.Index(fields=["administration", "lodged_at"]),
            models.Index(fields=["declarant_code"], name="declaration_declarant_code"),
            models.Index(fields=["importer_code"], name="declaration_importer_code"),
        ]

    def __str__(self) -> str:
        return self.number


class DeclarationItem(TenantOwned):
    # No index of its own: item_line_unique begins with the declaration.
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="items", db_index=False)
    line_number = models.PositiveIntegerField(_("line"))
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True, db_index=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3, null=True, blank=True)
    quantity_unit = models.CharField(_("unit"), max_length=10, blank=True)
    net_mass_kg = models.DecimalField(_("net mass (kg)"), max_digits=16, decimal_places=3, null=True, blank=True)
    gross_mass_kg = models.DecimalField(_("gross mass (kg)"), max_digits=16, decimal_places=3, null=True, blank=True)
    customs_value = models.DecimalField(_("customs value"), max_digits=18, decimal_places=2)
    duty_rate = models.DecimalField(_("duty rate (%)"), max_digits=7, decimal_places=3, null=True, blank=True)
    duty_amount = models.DecimalField(_("duty"), max_digits=18, decimal_places=2, null=True, blank=True)
    tax_type = models.CharField(_("tax type"), max_length=10, blank=True)
    origin_indicator = models.CharField(_("origin indicator"), max_length=5, blank=True)

    class Meta:
        ordering = ["declaration", "line_number"]
        constraints = [models.UniqueConstraint(fields=["declaration", "line_number"], name="item_line_unique")]

    def __str__(self) -> str:
        return f"{self.declaration.number}/{self.line_number}"


class DeclarationVersion(TenantOwned):
    """Every accepted submission of a declaration, so an amendment never loses what was declared before."""

    # No index of its own: declaration_version_unique begins with the declaration.
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="versions", db_index=False)
    version = models.PositiveIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["declaration", "version"]
        constraints = [models.UniqueConstraint(fields=["declaration", "version"], name="declaration_version_unique")]

    def __str__(self) -> str:
        return f"{self.declaration.number} v{self.version}"


class LifecycleEvent(TenantOwned):
    """Timestamps of a declaration's life: the base of the live Time Release measure."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("Goods arrived")
        LODGED = "lodged", _("Declaration lodged")
        AMENDED = "amended", _("Declaration amended")
        RISK_ASSESSED = "risk_assessed", _("Risk assessed")
        LANE_ASSIGNED = "lane_assigned", _("Lane assigned")
        LANE_OVERRIDDEN = "lane_overridden", _("Lane overridden")
        INSPECTION_STARTED = "inspection_started", _("Inspection started")
        INSPECTION_FINISHED = "inspection_finished", _("Inspection finished")
        RELEASED = "released", _("Released")

    # No index of its own: the (declaration, kind) index begins with the declaration.
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["declaration", "at", "id"]
        indexes = [models.Index(fields=["declaration", "kind"])]

    def __str__(self) -> str:
        return f"{self.declaration.number} {self.kind}"


class ImportProfile(TenantOwned):
    """A column mapping from a file layout to declaration fields, editable by an administrator."""

    name = models.SlugField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    file_format = models.CharField(_("format"), max_length=10, default="csv")
    mapping = models.JSONField(_("column mapping"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["administration", "name"], name="import_profile_unique")]

    def __str__(self) -> str:
        return self.name


class ImportBatch(TenantOwned):
    """One uploaded file and its background import: progress and a row-and-field error report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing written")
        FAILED = "failed", _("Failed")

    profile = models.ForeignKey(ImportProfile, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=200)
    stored_file = models.CharField(max_length=300)
    import_valid_rows = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # The report keeps the first errors; the count says how many there were in all.
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # created, amended, unchanged, rejected
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
