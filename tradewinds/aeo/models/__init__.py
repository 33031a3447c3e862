"""AEO programme models, one module per part of the file."""

from .application import (
    AeoAnswer,
    AeoApplication,
    AeoComplianceProfile,
    AeoEvidenceFile,
    AeoMessage,
    AeoPreApplication,
    AeoStatusChange,
)
from .certificate import AeoCertificate, AeoCertificateEvent, AeoReminder, AeoSelfReview, new_verification_code
from .network import AeoEventRegistration, AeoOutreachEvent, AeoRecognitionArrangement, AeoRecognitionConsent
from .programme import (
    BUSINESS_TYPES,
    AeoBenefit,
    AeoCriteriaArea,
    AeoCriterion,
    AeoPreApplicationCheck,
    AeoProgrammeType,
)
from .validation import AeoDecision, AeoFinding, AeoFindingResponse, AeoValidationVisit, AeoVisitCheck

__all__ = [
    "BUSINESS_TYPES",
    "AeoAnswer",
    "AeoApplication",
    "AeoBenefit",
    "AeoCertificate",
    "AeoCertificateEvent",
    "AeoComplianceProfile",
    "AeoCriteriaArea",
    "AeoCriterion",
    "AeoDecision",
    "AeoEventRegistration",
    "AeoEvidenceFile",
    "AeoFinding",
    "AeoFindingResponse",
    "AeoMessage",
    "AeoOutreachEvent",
    "AeoPreApplication",
    "AeoPreApplicationCheck",
    "AeoProgrammeType",
    "AeoRecognitionArrangement",
    "AeoRecognitionConsent",
    "AeoReminder",
    "AeoSelfReview",
    "AeoStatusChange",
    "AeoValidationVisit",
    "AeoVisitCheck",
    "new_verification_code",
]
