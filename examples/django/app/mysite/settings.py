"""Settings of the shop example: everything a host differs in comes from the environment."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "only-for-manage-py-on-a-laptop")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",")
INSTALLED_APPS = ["django.contrib.staticfiles", "shop"]
MIDDLEWARE = []
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
# The database lives outside the release directory, which a new release replaces.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SHOP_DB", "/tmp/shop-example.sqlite3"),
    }
}
USE_TZ = True
STATIC_URL = "/static/"
# collectstatic (the spec's build) copies every app's static files here; nginx serves them.
STATIC_ROOT = BASE_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
