from django.apps import AppConfig


class SharedKernelConfig(AppConfig):
    name = "kernel"
    label = "shared"
    verbose_name = "Event outbox"

    def ready(self) -> None:
        # Every process (web, worker, beat, commands) carries request ids
        # through its Celery tasks, and traces when tracing is configured;
        # before Django loads the middleware, which tracing adds to.
        from django.core import checks
        from django.core.signals import request_finished, request_started
        from django.utils.translation import gettext

        from kernel import caching, correlation, metrics, taskhooks, tracing, translatable
        from kernel.money_text import money_text

        checks.register(metrics.metrics_token_check, checks.Tags.security, deploy=True)

        # What a request read through kernel.caching, it reads once.
        request_started.connect(caching.request_started, dispatch_uid="kernel.caching.started")
        request_finished.connect(caching.request_finished, dispatch_uid="kernel.caching.end")
        correlation.install_log_record_factory()
        # Data classes print their few words (a country's name) and amounts in the
        # reader's language.
        translatable.install(gettext, money_writer=money_text)
        taskhooks.connect()
        tracing.configure()
