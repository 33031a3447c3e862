"""The starting catalogue every administration gets: the requirement areas of the WCO SAFE
Framework of Standards (Annex IV, AEO conditions and requirements), criteria written in our own
words, the pre-application self-check and two programme types. Administrations edit all of it."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

# Business types a criterion is limited to; an empty list means every business type.
ALL: list[str] = []
CARGO_HANDLERS = ["importer", "exporter", "carrier", "warehouse", "port_operator"]
PREMISES = ["importer", "exporter", "warehouse", "port_operator", "carrier"]

# (code, name, security area?)
AREAS = [
    ("compliance", N_("Demonstrated compliance with customs requirements"), False),
    ("records", N_("Satisfactory system for managing commercial records"), False),
    ("finance", N_("Financial viability"), False),
    ("consultation", N_("Consultation, co-operation and communication"), False),
    ("training", N_("Education, training and awareness"), False),
    ("information", N_("Information exchange, access and confidentiality"), False),
    ("cargo", N_("Cargo security"), True),
    ("conveyance", N_("Conveyance security"), True),
    ("premises", N_("Premises security"), True),
    ("personnel", N_("Personnel security"), True),
    ("partners", N_("Trading partner security"), True),
    ("crisis", N_("Crisis management and incident recovery"), True),
    ("improvement", N_("Measurement, analysis and improvement"), False),
]

# (area code, criterion code, level, business types, text, guidance)
CRITERIA = [
    (
        "compliance",
        "CR-01",
        "must",
        ALL,
        N_("No serious or repeated breach of customs or tax law by the company or its managers in three years."),
        N_("List any penalties, settlements or seizures and what you changed afterwards."),
    ),
    (
        "compliance",
        "CR-02",
        "must",
        ALL,
        N_("A named person is responsible for customs matters and knows the procedures the company uses."),
        N_("Name, role and how long they have held it."),
    ),
    (
        "compliance",
        "CR-03",
        "should",
        ALL,
        N_("Errors found in your own declarations are corrected and reported to customs without delay."),
        N_("Describe how an error is detected, corrected and reported."),
    ),
    (
        "records",
        "RE-01",
        "must",
        ALL,
        N_("Commercial and transport records are kept so that customs can audit every declaration."),
        N_("Describe your accounting and stock system and how long records are kept."),
    ),
    (
        "records",
        "RE-02",
        "must",
        ["importer", "exporter", "warehouse"],
        N_("Stock records distinguish goods by customs status and reconcile with physical stock."),
        N_("How often stock is counted and who signs off differences."),
    ),
    (
        "records",
        "RE-03",
        "should",
        ALL,
        N_("Computer systems are protected against unauthorised access and their data is backed up."),
        N_("Passwords, access rights, backups and how a restore was last tested."),
    ),
    (
        "finance",
        "FI-01",
        "must",
        ALL,
        N_("The company has been solvent over the last three years and can meet its commitments."),
        N_("Attach the last approved annual accounts."),
    ),
    (
        "finance",
        "FI-02",
        "should",
        ALL,
        N_("Duties and taxes have been paid on time."),
        N_("Say whether any payment was late and why."),
    ),
    (
        "consultation",
        "CO-01",
        "must",
        ALL,
        N_("A contact point answers customs questions promptly, including out of office hours."),
        N_("Give the contact point and the out-of-hours arrangement."),
    ),
    (
        "consultation",
        "CO-02",
        "should",
        ALL,
        N_("The company takes part in customs consultations and outreach where invited."),
        "",
    ),
    (
        "training",
        "TR-01",
        "must",
        ALL,
        N_("Staff who handle goods or declarations are trained in customs and security procedures."),
        N_("Training plan and attendance records."),
    ),
    (
        "training",
        "TR-02",
        "should",
        ALL,
        N_("Staff know how to recognise and report suspicious cargo, documents or behaviour."),
        "",
    ),
    (
        "information",
        "IN-01",
        "must",
        ALL,
        N_("Information given to customs is complete, accurate and sent in good time."),
        "",
    ),
    (
        "information",
        "IN-02",
        "must",
        ALL,
        N_("Confidential commercial and customs data is protected from misuse and disclosure."),
        N_("Who may read which data, and how access is removed when someone leaves."),
    ),
    (
        "cargo",
        "CA-01",
        "must",
        CARGO_HANDLERS,
        N_(
            "Goods are protected against tampering and the introduction of unauthorised goods from packing to delivery."
        ),
        N_("Describe seals, storage and the checks at loading and unloading."),
    ),
    (
        "cargo",
        "CA-02",
        "must",
        CARGO_HANDLERS,
        N_("Containers and trailers are inspected before loading using a written procedure."),
        N_("Attach the inspection procedure."),
    ),
    (
        "cargo",
        "CA-03",
        "should",
        CARGO_HANDLERS,
        N_("Discrepancies between documents and goods are investigated and reported to customs."),
        "",
    ),
    (
        "conveyance",
        "CV-01",
        "must",
        ["carrier", "port_operator"],
        N_("Vehicles, vessels and aircraft are secured against unauthorised access and searched for hidden places."),
        "",
    ),
    (
        "conveyance",
        "CV-02",
        "should",
        ["carrier", "importer", "exporter"],
        N_("Drivers and crews report incidents and unscheduled stops along the route."),
        "",
    ),
    (
        "premises",
        "PR-01",
        "must",
        PREMISES,
        N_("Buildings and yards where goods are kept have perimeter protection and controlled access."),
        N_("Site plan showing fences, gates, lighting and cameras."),
    ),
    (
        "premises",
        "PR-02",
        "must",
        PREMISES,
        N_("Visitors, drivers and contractors are identified and their access is logged."),
        "",
    ),
    (
        "premises",
        "PR-03",
        "should",
        PREMISES,
        N_("Keys and access cards are controlled and withdrawn when no longer needed."),
        "",
    ),
    (
        "personnel",
        "PE-01",
        "must",
        ALL,
        N_("Applicants for security-sensitive posts are screened before hiring, as the law allows."),
        "",
    ),
    (
        "personnel",
        "PE-02",
        "should",
        ALL,
        N_("Departing staff lose their access, badges and system accounts the same day."),
        "",
    ),
    (
        "partners",
        "TP-01",
        "must",
        ALL,
        N_("Business partners are asked to meet security standards and this is checked."),
        N_("Contract clauses or declarations you require from suppliers, carriers and agents."),
    ),
    (
        "partners",
        "TP-02",
        "should",
        ALL,
        N_("Partners certified as AEOs (here or under mutual recognition) are preferred."),
        "",
    ),
    (
        "crisis",
        "CM-01",
        "must",
        ALL,
        N_("A written plan says how incidents are reported to customs and how operations recover."),
        N_("Attach the contingency plan."),
    ),
    ("crisis", "CM-02", "should", ALL, N_("The contingency plan is rehearsed at least once a year."), ""),
    (
        "improvement",
        "MI-01",
        "must",
        ALL,
        N_("Customs and security procedures are reviewed at least once a year and weaknesses corrected."),
        N_("Date and outcome of the last internal review."),
    ),
    (
        "improvement",
        "MI-02",
        "should",
        ALL,
        N_("Incidents and near misses are analysed to prevent them from happening again."),
        "",
    ),
]

# (code, question, reason shown when the answer is "no")
PRE_CHECKS = [
    (
        "registered",
        N_("Is the company registered with customs and active in international trade for two years or more?"),
        N_("We ask for two years of trading so that your compliance record can be assessed."),
    ),
    (
        "compliance",
        N_("Has the company been free of serious customs or tax offences in the last three years?"),
        N_("Serious offences in the last three years must be settled and explained first."),
    ),
    (
        "records",
        N_("Can you show customs your commercial and stock records for any shipment on request?"),
        N_("Auditable records are a condition of every AEO status."),
    ),
    (
        "solvent",
        N_("Is the company solvent, with its last annual accounts approved?"),
        N_("Financial viability must be shown with approved accounts."),
    ),
    (
        "contact",
        N_("Have you named a person responsible for customs and security matters?"),
        N_("Name a responsible person before you apply."),
    ),
    (
        "security",
        N_("Do you have written procedures for the security of your goods, premises and staff?"),
        N_("Write down your security procedures; the questionnaire will ask for them."),
    ),
]

# (code, name, includes security?, description, [(benefit kind, description, risk factor)])
PROGRAMME_TYPES = [
    (
        "aeos",
        N_("AEO security and safety"),
        True,
        N_("For operators in the international supply chain who meet the security and safety standards."),
        [
            ("fewer_inspections", N_("Fewer physical and document inspections"), 0.5),
            ("priority", N_("Priority treatment when selected for inspection"), 1.0),
            ("recognition", N_("Recognition by partner administrations"), 1.0),
        ],
    ),
    (
        "aeoc",
        N_("AEO customs simplifications"),
        False,
        N_("For operators with a sound compliance and record-keeping history who seek simplified procedures."),
        [
            ("simplified", N_("Simplified declarations and periodic payment"), 1.0),
            ("fewer_inspections", N_("Fewer document inspections"), 0.7),
        ],
    ),
]
