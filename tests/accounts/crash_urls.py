"""Lectio's URLs plus one view that crashes, to see the 500 page a real request gets."""

from django.urls import path

from config import urls as site


def crash(request):
    raise RuntimeError("boom in a view")


urlpatterns = [path("crash/", crash), *site.urlpatterns]
handler403, handler404, handler500 = site.handler403, site.handler404, site.handler500
