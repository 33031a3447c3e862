from django.urls import path

from .views import certificates, dashboard, network, officer, portal, setup

app_name = "aeo"

urlpatterns = [
    path("", portal.home, name="home"),
    # Trader portal
    path("portal/", portal.portal_home, name="portal"),
    path("portal/pre-application/", portal.pre_application, name="pre_application"),
    path("portal/applications/new/", portal.start_application, name="start_application"),
    path("portal/messages/", portal.my_messages, name="messages"),
    path("applications/<int:aeoapplication_id>/", officer.application_detail, name="application"),
    path("applications/<int:aeoapplication_id>/questionnaire/", portal.questionnaire, name="questionnaire"),
    path("applications/<int:aeoapplication_id>/withdraw/", portal.withdraw_application, name="withdraw_application"),
    path("findings/<int:aeofinding_id>/answer/", portal.respond_to_finding, name="respond_to_finding"),
    path("evidence/<int:aeoevidencefile_id>/", portal.evidence_download, name="evidence"),
    # Customs side
    path("queue/", officer.queue, name="queue"),
    path("applications/<int:aeoapplication_id>/assign/", officer.assign, name="assign"),
    path("applications/<int:aeoapplication_id>/profile/", officer.compliance_profile, name="profile"),
    path("applications/<int:aeoapplication_id>/visits/new/", officer.plan_visit, name="plan_visit"),
    path("applications/<int:aeoapplication_id>/findings/new/", officer.raise_finding, name="raise_finding"),
    path("applications/<int:aeoapplication_id>/decide/", officer.decide, name="decide"),
    path("visits/<int:aeovalidationvisit_id>/", officer.visit_detail, name="visit"),
    path("findings/<int:aeofinding_id>/close/", officer.close_finding, name="close_finding"),
    path("companies/<int:company_id>/messages/", portal.company_messages, name="company_messages"),
    # Certificates and their life
    path("certificates/", certificates.certificate_list, name="certificates"),
    path("certificates/<int:aeocertificate_id>/", certificates.certificate_detail, name="certificate"),
    path("certificates/<int:aeocertificate_id>/pdf/", certificates.certificate_pdf_download, name="certificate_pdf"),
    path("certificates/<int:aeocertificate_id>/suspend/", certificates.suspend, name="suspend"),
    path("certificates/<int:aeocertificate_id>/reinstate/", certificates.reinstate, name="reinstate"),
    path("certificates/<int:aeocertificate_id>/revoke/", certificates.revoke, name="revoke"),
    path("certificates/<int:aeocertificate_id>/revalidate/", certificates.revalidate, name="revalidate"),
    path("certificates/<int:aeocertificate_id>/self-review/", certificates.self_review, name="self_review"),
    path("certificates/<int:aeocertificate_id>/respond/", certificates.respond_to_suspension, name="respond"),
    path("certificates/<int:aeocertificate_id>/withdraw/", certificates.withdraw, name="withdraw_certificate"),
    path("certificates/<int:aeocertificate_id>/consent/", certificates.give_consent, name="give_consent"),
    path("consents/<int:aeorecognitionconsent_id>/withdraw/", certificates.withdraw_consent, name="withdraw_consent"),
    # Programme set-up
    path("programme/", setup.programme, name="programme"),
    path("programme/types/new/", setup.programme_type_form, name="programme_type_new"),
    path("programme/types/<int:aeoprogrammetype_id>/", setup.programme_type_form, name="programme_type"),
    path("programme/types/<int:aeoprogrammetype_id>/benefits/", setup.add_benefit, name="add_benefit"),
    path("criteria/", setup.criteria, name="criteria"),
    path("criteria/new/", setup.criterion_new, name="criterion_new"),
    path("criteria/<int:aeocriterion_id>/", setup.criterion_detail, name="criterion"),
    path("criteria/<int:aeocriterion_id>/retire/", setup.criterion_retire, name="criterion_retire"),
    # Recognition, outreach, dashboard
    path("recognition/", network.recognition, name="recognition"),
    path("events/", network.events, name="events"),
    path("events/<int:aeooutreachevent_id>/", network.event_detail, name="event"),
    path("events/<int:aeooutreachevent_id>/register/", network.register, name="register"),
    path("dashboard/", dashboard.programme_dashboard, name="dashboard"),
]
