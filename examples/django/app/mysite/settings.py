"""Settings of the shop example: everything a host differs in comes from the environment."""
import hashlib
import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "only-for-manage-py-on-a-laptop")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",")
INSTALLED_APPS = ["django.contrib.staticfiles", "shop"]
MIDDLEWARE = []
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
# The database lives outside the release directory, which a new release replaces: SHOP_DB, else a
# file in the temp dir named after the host's releases directory (one per host, kept across releases).
# A real app points this at PostgreSQL through env and secrets.
_HOST_KEY = hashlib.sha256(str(BASE_DIR.parent.parent).encode()).hexdigest()[:12]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SHOP_DB") or os.path.join(tempfile.gettempdir(), "shop-" + _HOST_KEY + ".sqlite3"),
    }
}
USE_TZ = True
STATIC_URL = "/static/"
# collectstatic (the spec's build) copies every app's static files here; nginx serves them.
STATIC_ROOT = BASE_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
