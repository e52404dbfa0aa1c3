"""A context's ``api`` served by the context's own process, and called over HTTP.

A context leaves the monolith without its callers changing: its ``api``
module keeps its functions, arguments and DTOs, and with the context's
service URL configured each function becomes a stub that posts its
arguments to the service and returns what the in-process function would
have returned (or raises the same typed error). One list of functions
serves both sides, the ``api`` module itself (``published_functions``): the
service serves exactly what the client calls, and a function added to the
``api`` is served and called without a line elsewhere.

- ``wire``: the envelope of a call (arguments, result, a domain error) in
  JSON, with ``kernel.eventcodec``'s codec, driven by the function's hints;
- ``server``: the Django view serving an ``api`` under ``/internal/<context>/v1/``;
- ``client``: the stubs, with timeouts, retries of idempotent calls only,
  and a ``breaker`` that fails fast while the service is down.

The wire format is versioned in the path: a change that old callers
cannot read is a ``v2`` served beside ``v1`` until they are gone.
"""
