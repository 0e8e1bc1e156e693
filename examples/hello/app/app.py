"""The hello example: a greeting on / and a health check on /healthz."""
import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return os.environ.get("GREETING", "Hello") + "\n"


@app.route("/healthz")
def healthz():
    return "ok\n"
