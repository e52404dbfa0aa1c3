"""A page and a JSON document about the size of a small product page, built from constants."""

from django.http import JsonResponse
from django.shortcuts import render

ITEMS = [{"sku": f"FLOOR-{n:03d}", "title": f"Item {n}", "price": f"{n}.99"} for n in range(24)]


def page(request):
    return render(request, "floor.html", {"title": "Floor", "items": ITEMS})


def data(request):
    return JsonResponse({"title": "Floor", "items": ITEMS})
