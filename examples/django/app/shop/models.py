from django.db import models


class Order(models.Model):
    """An order the web process takes and the worker process fulfils."""

    item = models.CharField(max_length=100)
    fulfilled = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
