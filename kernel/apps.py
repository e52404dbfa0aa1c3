from django.apps import AppConfig


class SharedKernelConfig(AppConfig):
    name = "kernel"
    label = "shared"
    verbose_name = "Event outbox"

    def ready(self) -> None:
        # Every process (web, worker, beat, commands) carries request ids
        # through its Celery tasks, and traces when tracing is configured;
        # before Django loads the middleware, which tracing adds to.
        from kernel import correlation, taskhooks, tracing

        correlation.install_log_record_factory()
        taskhooks.connect()
        tracing.configure()
