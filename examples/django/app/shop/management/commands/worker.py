"""The worker process (processes.worker): migrates, then fulfils open orders every few seconds."""
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from shop.models import Order


class Command(BaseCommand):
    help = "Fulfil open orders until stopped."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("worker started", ending="\n")
        self.stdout.flush()
        while True:
            done = Order.objects.filter(fulfilled=False).update(fulfilled=True)
            if done:
                self.stdout.write(f"fulfilled {done} orders", ending="\n")
                self.stdout.flush()
            time.sleep(2)
