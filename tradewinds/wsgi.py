"""The production server's entry point (`tradewinds serve` runs Granian on `application`)."""

import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewinds.settings")
application = get_wsgi_application()
# Load the URLconf, and with it the API and every app's code, now rather than on the first request.
importlib.import_module(settings.ROOT_URLCONF)
# What is loaded by now (over 200,000 objects) lives as long as the process. Python's full garbage
# collections walked all of it, pausing the request at hand for over 100 ms every few thousand
# requests: the API's p99. Frozen, those objects are out of the collector's sight; what requests
# leave behind is collected as before.
gc.freeze()
