"""URLs of the probe app, for tests that mark themselves ``urls("tests.probe.urls")``."""

from django.urls import path

from tests.probe import views

urlpatterns = [path("probe/happen/", views.happen, name="probe-happen")]
