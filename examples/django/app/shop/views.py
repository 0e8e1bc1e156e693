from django.db import connection
from django.http import HttpResponse

from shop.models import Order


def index(request):
    orders = Order.objects.count() if "shop_order" in connection.introspection.table_names() else 0
    return HttpResponse(
        '<!doctype html><link rel="stylesheet" href="/static/shop/site.css">'
        f"<h1>Shop</h1><p>{orders} orders</p>\n"
    )


def healthz(request):
    return HttpResponse("ok\n")
