"""The hostile-input walk: every route of the project, and a corpus of hostile values.

Routes come from the project itself, so a new route is walked without
anyone listing it: the storefront's URL patterns (resolved from the
URLconf), every operation of the OpenAPI schema (drf-spectacular's
generator) and every admin page of every registered model.

A route names its path parameters, its query parameters and its body
fields: from the schema for the API, from the page's own form fields for
the storefront and the admin. Each class of the corpus (`CLASSES`) turns a
route into a few requests that carry one kind of hostile value in every
place the route takes input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import cycle

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

WRITES = ("POST", "PUT", "PATCH", "DELETE")
#: Query parameters any page may read, besides those of its own forms.
COMMON_QUERY = ("q", "page", "sort", "next", "sku")
#: Body fields of views that show no form of their own (cart/add, checkout/place).
COMMON_FIELDS = ("sku", "quantity", "code", "email", "number", "next", "provider", "attempt")
_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
#: A named group of a regex pattern; ``first``: its first word when it is a list of words.
_GROUP = re.compile(r"\^?\(\?P<\w+>(?:(?P<first>\w+)(?:\|\w+)*|[^)]*)\)")
_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


@dataclass(frozen=True)
class Route:
    """One route: ``template`` has ``{name}`` placeholders for its path parameters."""

    template: str
    methods: tuple[str, ...]
    kind: str  # "api", "page" (storefront) or "admin"
    query: tuple[str, ...] = ()
    #: Body of the API operation as a JSON-schema-like tree; None: read the page's form.
    body_schema: dict | None = None
    params: dict[str, str] = field(default_factory=dict)  # converter of each path parameter

    def path(self, values: dict[str, str]) -> str:
        return self.template.format(**{name: values[name] for name in self.params})


@dataclass(frozen=True)
class Probe:
    """One request of the walk."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    body: bytes | str | dict | None = None
    content_type: str = "application/json"


# --- Discovering the routes -----------------------------------------------------


def storefront_routes() -> list[Route]:
    """Every storefront URL pattern (not the API, not the admin, not DEBUG's media)."""
    routes = []
    for pattern in _patterns(get_resolver().url_patterns, ""):
        if pattern.startswith(("admin/", "api/", "^media")):
            continue
        params = {m["name"]: m["converter"] or "str" for m in _PARAM.finditer(pattern)}
        template = "/" + _PARAM.sub(lambda m: "{" + m["name"] + "}", pattern)
        routes.append(Route(template, ("GET", "POST"), "page", COMMON_QUERY, None, params))
    return routes


def _patterns(patterns, prefix: str) -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def api_routes() -> list[Route]:
    """Every operation of the OpenAPI schema, with its query parameters and body schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    routes = []
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method.upper() not in ("GET", *WRITES):
                continue
            parameters = operation.get("parameters", [])
            params = {p["name"]: _converter(p) for p in parameters if p["in"] == "path"}
            query = tuple(p["name"] for p in parameters if p["in"] == "query")
            content = operation.get("requestBody", {}).get("content", {})
            body = next(iter(content.values()), {}).get("schema")
            routes.append(
                Route(
                    template,
                    (method.upper(),),
                    "api",
                    (*query, "page"),
                    _resolve(body, components, depth=0) if body else {},
                    params,
                )
            )
    return routes + _api_routes_outside_the_schema(routes)


def _api_routes_outside_the_schema(in_schema: list[Route]) -> list[Route]:
    """API URL patterns the schema leaves out (payment webhooks, the schema, its docs page).

    Walked like the schema's routes, GET and POST, with the common fields as a body.
    """
    known = {route.template for route in in_schema}
    routes = []
    for pattern in _patterns(get_resolver().url_patterns, ""):
        if not pattern.startswith("api/"):
            continue
        params = {m["name"]: m["converter"] or "str" for m in _PARAM.finditer(pattern)}
        template = "/" + _PARAM.sub(lambda m: "{" + m["name"] + "}", pattern)
        if template not in known:
            routes.append(Route(template, ("GET", "POST"), "api", COMMON_QUERY, {}, params))
    return routes


def _converter(parameter: dict) -> str:
    return "int" if parameter.get("schema", {}).get("type") == "integer" else "str"


def _resolve(schema: dict, components: dict, *, depth: int) -> dict:
    """The schema with every ``$ref`` replaced by its component (a few levels deep)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if depth > 4:
        return {"type": "string"}
    resolved = dict(schema)
    if "properties" in schema:
        resolved["properties"] = {
            name: _resolve(sub, components, depth=depth + 1)
            for name, sub in schema["properties"].items()
            if not sub.get("readOnly")
        }
    if "items" in schema:
        resolved["items"] = _resolve(schema["items"], components, depth=depth + 1)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return _resolve(schema[combined][0], components, depth=depth)
    return resolved


def admin_routes() -> list[Route]:
    """Every admin page: the site's own, each app's, and every URL of each model admin.

    A model admin's URLs are read from the admin itself (``get_urls``), so its
    own pages (imports, previews, exports, order actions) are walked beside
    the list, add, change, history and delete pages (and the address of an
    object alone, which redirects to its change page). An object id in them is
    the first row's of that model (kind ``pk:<label>``). The sign-in page is
    walked by the anonymous caller and the customer (kind "page"); the rest
    by staff.
    """
    autocomplete = ("term", "app_label", "model_name", "field_name", "page")
    routes = [
        Route(reverse("admin:login"), ("GET", "POST"), "page", ("next",)),
        Route(reverse("admin:index"), ("GET",), "admin", ("q",)),
        Route(reverse("admin:password_change"), ("GET", "POST"), "admin"),
        Route(reverse("admin:password_change_done"), ("GET",), "admin"),
        Route(reverse("admin:jsi18n"), ("GET",), "admin"),
        Route(reverse("admin:autocomplete"), ("GET",), "admin", autocomplete),
        Route(
            reverse("admin:view_on_site", args=[1, 1]).replace("/1/1/", "/{content_type}/{pk}/"),
            ("GET",),
            "admin",
            params={"content_type": "int", "pk": "str"},
        ),
        # The site's catch-all (an unknown admin address), by any path.
        Route(
            reverse("admin:index") + "{path}", ("GET", "POST"), "admin", (), None, {"path": "path"}
        ),
        Route(reverse("admin:logout"), ("POST",), "admin"),
    ]
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        routes.append(Route(reverse("admin:app_list", args=[app_label]), ("GET",), "admin"))
    for model, model_admin in admin.site._registry.items():
        prefix = f"{reverse('admin:index')}{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in _patterns(model_admin.get_urls(), ""):
            params = {m["name"]: m["converter"] or "str" for m in _PARAM.finditer(pattern)}
            for name, converter in params.items():
                if name.endswith("id") or converter == "path":
                    params[name] = f"pk:{model._meta.label}"
            template = prefix + _PARAM.sub(lambda m: "{" + m["name"] + "}", pattern)
            query = ("q", "o", "p") if not pattern else ()
            routes.append(Route(template, ("GET", "POST"), "admin", query, None, params))
    return routes


def walked_patterns() -> list[str]:
    """Every URL pattern of the project that a walked route does not stand for.

    Empty when the walk covers the project: the storefront's patterns, every
    API pattern (in the schema or not), every admin page.
    """
    walked = [
        re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(route.template)) + "$")
        for route in storefront_routes() + api_routes() + admin_routes()
    ]
    missing = []
    for pattern in _patterns(get_resolver().url_patterns, ""):
        if pattern.startswith("^media"):
            continue  # DEBUG's media files only
        example = _GROUP.sub(lambda m: m["first"] or "x", pattern).replace("$", "")
        example = "/" + re.sub(r"<(?:\w+:)?(\w+)>", "x", example)
        if not any(route.match(example) for route in walked):
            missing.append(pattern)
    return missing


def form_fields(html: str) -> tuple[str, ...]:
    """The names of a page's form fields (without the CSRF token)."""
    return tuple(sorted({name for name in _FIELD.findall(html) if name != "csrfmiddlewaretoken"}))


# --- The corpus ---------------------------------------------------------------------


def leaves(schema: dict | None, values: Iterator, numbers: Iterator | None = None):
    """A JSON body shaped like ``schema``, its leaves taken in turn from ``values``.

    Number-typed leaves take theirs from ``numbers`` when given; a body
    without a schema is one field per common name.
    """
    if not schema:
        return {name: next(values) for name in COMMON_FIELDS}
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: leaves(sub, values, numbers) for name, sub in properties.items()}
    if kind == "array":
        return [leaves(schema.get("items", {}), values, numbers)]
    if kind in ("integer", "number") and numbers is not None:
        return next(numbers)
    return next(values)


@dataclass(frozen=True)
class Target:
    """A route made concrete for one caller: its path and the names it takes input by."""

    route: Route
    values: dict[str, str]  # path parameter values
    fields: tuple[str, ...]  # form fields (pages) or top-level body fields (API)

    @property
    def is_api(self) -> bool:
        return self.route.kind == "api"

    def path(self, **overrides: str) -> str:
        return self.route.path({**self.values, **overrides})

    @property
    def writes(self) -> tuple[str, ...]:
        return tuple(m for m in self.route.methods if m in WRITES)

    def bodies(self, *values, numbers=None) -> Iterator[Probe]:
        """One body per write method (JSON for the API, else a form), fields cycling ``values``."""
        for method in self.writes:
            if self.is_api:
                body = leaves(self.route.body_schema, cycle(values), numbers and cycle(numbers))
                yield Probe(method, self.path(), body=json.dumps(body))
            else:
                form = dict(zip(self.fields, cycle(values), strict=False))
                # A formset renders every form its management form counts (up to 1000
                # more than it allows): slow to walk, and covered by the other values.
                form.update({name: "-1" for name in form if name.endswith("_FORMS")})
                yield Probe(method, self.path(), body=form, content_type="form")

    def query(self, *values) -> Probe:
        """A GET with every query parameter and form field set, taking ``values`` in turn."""
        names = (*self.route.query, *self.fields)
        return Probe("GET", self.path(), query=dict(zip(names, cycle(values), strict=False)))

    def with_path_value(self, value: str) -> Probe:
        """A GET with every text path parameter set to ``value`` (or appended as a segment)."""
        params = self.route.params.items()
        text = [name for name, kind in params if kind in ("str", "slug", "path")]
        if not text:
            return Probe("GET", self.path() + value + "/")
        return Probe("GET", self.path(**dict.fromkeys(text, value)))


def nul_characters(target: Target) -> Iterator[Probe]:
    nul = "tea\x00;"
    for probe in (target.with_path_value("tea%00"), target.query(nul)):
        for method in target.route.methods:
            yield Probe(method, probe.path, probe.query)
    yield from target.bodies(nul)
    for method in target.writes if target.is_api else ():  # escaped; and as a form field
        yield Probe(method, target.path(), body='{"sku": "\\u0000", "\\u0000": 1}')
        form = dict.fromkeys((*target.fields, "sku"), nul)
        yield Probe(method, target.path(), body=form, content_type="urlencoded")


def deep_json(target: Target) -> Iterator[Probe]:
    deep = ("[" * 5000 + "]" * 5000, '{"a": ' * 3000 + "1" + "}" * 3000)
    for method, body in zip(target.writes or ("POST",), cycle(deep), strict=False):
        yield Probe(method, target.path(), body=body)


def foreign_media(target: Target) -> Iterator[Probe]:
    """Multipart, urlencoded (the API; pages get it in every other class) and XML bodies."""
    form = dict.fromkeys((*target.fields, *COMMON_FIELDS), "1")
    for method in target.writes or ("POST",):
        yield Probe(method, target.path(), body=form, content_type="multipart")
        if target.is_api:
            yield Probe(method, target.path(), body=form, content_type="urlencoded")
        yield Probe(
            method, target.path(), body="<a>1</a>", content_type="text/xml; charset=latin-9"
        )


def huge_bodies(target: Target) -> Iterator[Probe]:
    megabyte = "x" * 1_000_000
    for method in target.writes or ("POST",):
        yield Probe(method, target.path(), body=json.dumps({"sku": megabyte}))
        yield Probe(method, target.path(), body={"sku": megabyte}, content_type="multipart")


def long_values(target: Target) -> Iterator[Probe]:
    yield target.query("x" * 1800)  # up to the URL limit: reaches the view
    yield Probe("GET", target.path(), query={"q": "y" * 5000})  # past it
    yield target.with_path_value("z" * 1500)
    yield from target.bodies("w" * 100_000)


ODD_TEXT = (
    "\u202eevil\u202c",  # right-to-left override
    "🍵🧨" * 20,
    "e\u0301\u0302\u0303" * 30,  # combining marks
    "\ufeff\u200b",  # byte order mark, zero-width space
    "\U0001d518\U0001d52b",  # outside the basic plane
)


def odd_unicode(target: Target) -> Iterator[Probe]:
    yield target.with_path_value("%F0%9F%8D%B5%E2%80%AE%ED%A0%80%FF")  # + a surrogate, not UTF-8
    yield target.query(*ODD_TEXT)
    yield from target.bodies(*ODD_TEXT)
    for method in target.writes if target.is_api else ():  # a lone surrogate, escaped
        body = json.dumps(leaves(target.route.body_schema, cycle(["SURROGATE"])))
        yield Probe(method, target.path(), body=body.replace("SURROGATE", "\\ud800"))


SQL = ("' OR '1'='1' --", "1); DROP TABLE orders_order; --", "%' AND 1=0 UNION SELECT 1 --")


def sql_strings(target: Target) -> Iterator[Probe]:
    yield target.with_path_value("1'%20OR%201=1--")
    yield target.query(*SQL)
    yield from target.bodies(*SQL)


NUMBERS = (-1, 0, 10**30, 1.5e308, -(2**63))


def numbers(target: Target) -> Iterator[Probe]:
    params = target.route.params.items()
    ints = [name for name, kind in params if kind == "int" or kind.startswith("pk:")]
    if ints:
        yield Probe("GET", target.path(**dict.fromkeys(ints, str(10**30))))
    yield target.query(*map(str, NUMBERS))
    for turn in range(2 if target.is_api else 1):  # API fields get two numbers each
        shifted = NUMBERS[turn:] + NUMBERS[:turn]
        yield from target.bodies(*map(str, shifted), numbers=shifted)


CLASSES: dict[str, Callable[[Target], Iterator[Probe]]] = {
    "nul-characters": nul_characters,
    "deep-json": deep_json,
    "foreign-media": foreign_media,
    "huge-bodies": huge_bodies,
    "long-values": long_values,
    "odd-unicode": odd_unicode,
    "sql-strings": sql_strings,
    "numbers": numbers,
}
