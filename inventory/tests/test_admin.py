import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory import api
from inventory.dtos import Line
from inventory.models import Movement, Stock
from inventory.roles import CLERK_GROUP
from kernel.outbox import published
from kernel.tests.outboxes import event_count

CHANGELIST = reverse("admin:inventory_stock_changelist")
RECEIVE = reverse("admin:inventory_stock_receive")
ADJUST = reverse("admin:inventory_stock_adjust")
IMPORT = reverse("admin:inventory_stock_import")
LOW_STOCK = reverse("admin:inventory_stock_low")


@pytest.fixture
def clerk_client(client, clerk, warehouses, catalog_skus):
    catalog_skus("A", "B")
    client.force_login(clerk)
    return client


def written() -> tuple[int, int, int]:
    return Stock.objects.count(), Movement.objects.count(), event_count()


def on_hand() -> dict[tuple[str, str], int]:
    """{(warehouse, SKU): on hand}, warehouses holding none left out."""
    rows = Stock.objects.filter(on_hand__gt=0).select_related("warehouse")
    return {(s.warehouse.code, s.sku): s.on_hand for s in rows}


def csv_file(text: str, name: str = "count.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- the clerk group --------------------------------------------------------------


def test_the_clerk_group_holds_only_inventory_permissions(db):
    perms = Group.objects.get(name=CLERK_GROUP).permissions.select_related("content_type")
    assert {p.content_type.app_label for p in perms} == {"inventory"}
    codenames = {p.codename for p in perms}
    assert {"receive_stock", "adjust_stock", "import_stock", "view_stock"} <= codenames
    assert not codenames & {"change_stock", "delete_movement", "add_reservation"}


def test_a_clerk_sees_inventory_but_not_other_contexts_admin(clerk_client, put_stock):
    put_stock("A", ber=3)
    api.reserve(owner="cart:1", lines=[Line("A", 1)])

    for model in ("stock", "warehouse", "movement", "reservation", "allocation"):
        assert clerk_client.get(reverse(f"admin:inventory_{model}_changelist")).status_code == 200
    assert clerk_client.get(reverse("admin:catalog_product_changelist")).status_code == 403


def test_stock_quantities_cannot_be_edited_in_the_admin(clerk_client, put_stock):
    put_stock("A", ber=3)
    stock = Stock.objects.get(warehouse__code="ber")
    url = reverse("admin:inventory_stock_change", args=[stock.pk])

    clerk_client.post(url, {"on_hand": 99, "allocated": 0, "sku": "A"})

    assert Stock.objects.get(pk=stock.pk).on_hand == 3
    assert clerk_client.get(reverse("admin:inventory_stock_add")).status_code == 403


def test_the_stock_list_shows_reserved_and_available(clerk_client, put_stock):
    put_stock("A", ber=5)
    api.reserve(owner="cart:1", lines=[Line("A", 2)])
    api.allocate(order_ref="O-1", lines=[Line("A", 1)])

    response = clerk_client.get(CHANGELIST)

    row = response.context["cl"].result_list.get(warehouse__code="ber")
    assert (row.on_hand, row.allocated, row.reserved_units) == (5, 1, 2)


def test_staff_without_the_permission_cannot_book(client, django_user_model, warehouses):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_stock"))
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 200
    for url in (RECEIVE, ADJUST, IMPORT):
        assert client.post(url, {}).status_code == 403


# --- receipts and adjustments through the ledger ------------------------------------


def test_a_goods_receipt_goes_through_the_ledger(clerk_client):
    response = clerk_client.post(
        RECEIVE, {"warehouse": "rtm", "sku": "A", "quantity": 4, "reference": "DN-9"}
    )

    assert response.status_code == 302
    assert on_hand() == {("rtm", "A"): 4}
    assert Movement.objects.get().actor == "clerk"
    assert published("inventory.stock_changed.v1").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"warehouse": "ber", "sku": "UNKNOWN", "quantity": 1}, "sku"),
        ({"warehouse": "ber", "sku": "A", "quantity": 0}, "quantity"),
        ({"warehouse": "ber", "sku": "A", "quantity": -1}, "quantity"),
        ({"warehouse": "nowhere", "sku": "A", "quantity": 1}, "warehouse"),
    ],
)
def test_a_bad_receipt_shows_the_error_and_writes_nothing(clerk_client, data, field):
    before = written()
    response = clerk_client.post(RECEIVE, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert written() == before


def test_an_adjustment_that_would_take_held_units_is_refused(clerk_client, put_stock):
    put_stock("A", ber=2)
    api.allocate(order_ref="O-1", lines=[Line("A", 2)])
    before = written()

    response = clerk_client.post(
        ADJUST, {"warehouse": "ber", "sku": "A", "quantity_delta": -1, "reason": "lost"}
    )

    assert response.context["form"].errors["quantity_delta"] == [
        "Only 0 units of A are not held by orders here."
    ]
    assert written() == before


@pytest.mark.parametrize("delta", ["1_0", "\u0661"])
def test_an_adjustment_in_odd_digits_is_refused(clerk_client, delta):
    before = written()
    data = {"warehouse": "ber", "sku": "A", "quantity_delta": delta, "reason": "found"}
    response = clerk_client.post(ADJUST, data)
    assert response.context["form"].errors["quantity_delta"] == ["Enter a whole number."]
    assert written() == before


def test_an_adjustment_needs_a_reason_and_a_change(clerk_client):
    response = clerk_client.post(ADJUST, {"warehouse": "ber", "sku": "A", "quantity_delta": 0})
    assert set(response.context["form"].errors) == {"reason", "quantity_delta"}
    clerk_client.post(
        ADJUST, {"warehouse": "ber", "sku": "A", "quantity_delta": 3, "reason": "found"}
    )
    assert on_hand() == {("ber", "A"): 3}


# --- CSV import ---------------------------------------------------------------------


def test_a_good_csv_sets_every_count(clerk_client, put_stock):
    put_stock("A", ber=9)

    response = clerk_client.post(
        IMPORT, {"file": csv_file("warehouse,sku,quantity,note\nber,A,4,\nrtm,A,2,x\nber,B,0,\n")}
    )

    assert response.status_code == 302
    assert on_hand() == {("ber", "A"): 4, ("rtm", "A"): 2}
    assert Stock.objects.filter(sku="B").exists()
    assert Movement.objects.filter(reason="stock count import").count() == 2


def test_a_csv_with_bad_rows_reports_each_and_imports_nothing(clerk_client, put_stock):
    put_stock("A", ber=9)
    api.allocate(order_ref="O-1", lines=[Line("A", 3)])
    before = written()
    text = (
        "sku,warehouse,quantity\n"
        "A,ber,2\n"  # below the 3 units allocated
        "UNKNOWN,ber,1\n"
        "A,nowhere,1\n"
        "B,ber,-2\n"
        "B,ber,lots\n"  # duplicate of row 5 too
        ",ber,\n"
        "A,ber,6\n"  # duplicate of row 2
        "B,rtm,1\n"  # fine
    )

    response = clerk_client.post(IMPORT, {"file": csv_file(text)})

    assert response.status_code == 200
    reported = [(e.row, e.column, e.reason) for e in response.context["errors"]]
    assert reported == [
        (2, "quantity", "Below the 3 units allocated to orders in this warehouse."),
        (3, "sku", "No product with SKU 'UNKNOWN' in the catalog."),
        (4, "warehouse", "No warehouse with code 'nowhere'."),
        (5, "quantity", "Must be 0 or more."),
        (6, "sku", "Same warehouse and SKU as row 5."),
        (6, "quantity", "Not a whole number: 'lots'."),
        (7, "sku", "Required."),
        (7, "quantity", "Required."),
        (8, "sku", "Same warehouse and SKU as row 2."),
    ]
    assert b"Nothing was imported" in response.content
    assert written() == before


def test_counts_past_the_column_or_in_odd_digits_are_bad_rows(clerk_client):
    """Python's int() reads "1_0" and "١٢"; PostgreSQL's integer stops at 2147483647."""
    before = written()
    text = (
        "sku,warehouse,quantity\n"
        "A,ber,2147483648\n"
        "A,rtm,1_0\n"
        "B,ber,\u0661\u0662\n"
        "B,rtm,2147483647\n"  # fine
    )
    response = clerk_client.post(IMPORT, {"file": csv_file(text)})
    reported = [(e.row, e.column, e.reason) for e in response.context["errors"]]
    assert reported == [
        (2, "quantity", "Must be at most 2147483647."),
        (3, "quantity", "Not a whole number: '1_0'."),
        (4, "quantity", "Not a whole number: '\u0661\u0662'."),
    ]
    assert written() == before


def test_a_receipt_past_what_a_stock_row_holds_is_refused(clerk_client, put_stock):
    put_stock("A", ber=2_147_483_000)
    before = written()
    response = clerk_client.post(RECEIVE, {"warehouse": "ber", "sku": "A", "quantity": 1000})
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == [
        "A stock row holds at most 2147483647 units."
    ]
    assert written() == before


def test_a_count_below_what_orders_hold_is_a_bad_row(clerk_client, put_stock):
    put_stock("A", ber=5)
    api.allocate(order_ref="O-1", lines=[Line("A", 3)])

    response = clerk_client.post(IMPORT, {"file": csv_file("warehouse,sku,quantity\nber,A,2\n")})

    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "quantity")]
    assert on_hand() == {("ber", "A"): 5}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"warehouse,sku\nber,A\n", [(1, "quantity", "Missing column in the header row.")]),
        (b"warehouse,sku,quantity\n", [(2, "", "The file has no rows below the header.")]),
        (
            b"\xff\xfe not utf-8",
            [(1, "", "The file is not UTF-8 text (save it as CSV UTF-8).")],
        ),
    ],
)
def test_a_file_that_is_not_a_count_sheet_is_reported(clerk_client, content, expected):
    response = clerk_client.post(
        IMPORT, {"file": SimpleUploadedFile("x.csv", content, content_type="text/csv")}
    )
    assert [(e.row, e.column, e.reason) for e in response.context["errors"]] == expected


# --- low-stock report --------------------------------------------------------------


def test_the_low_stock_report_lists_skus_at_or_below_the_threshold(
    clerk_client, put_stock, settings
):
    settings.INVENTORY_LOW_STOCK_THRESHOLD = 3
    put_stock("A", ber=10)
    put_stock("B", ber=4, rtm=0)
    api.reserve(owner="cart:1", lines=[Line("B", 2)])

    response = clerk_client.get(LOW_STOCK)

    assert response.context["rows"] == [("B", 2)]
    assert b"B" in response.content


@pytest.mark.parametrize("model", ["stock", "movement", "reservation", "allocation", "warehouse"])
def test_admin_lists_cost_the_same_queries_for_2_or_20_skus(
    clerk_client, put_stock, django_assert_max_num_queries, model
):
    def fill(skus):
        for sku in skus:
            put_stock(sku, ber=3, rtm=2)
            api.reserve(owner=f"cart:{sku}", lines=[Line(sku, 1)])
            api.allocate(order_ref=f"O-{sku}", lines=[Line(sku, 1)])

    url = reverse(f"admin:inventory_{model}_changelist")
    fill(["S0", "S1"])
    with django_assert_max_num_queries(12) as few:
        clerk_client.get(url)
    fill([f"S{i}" for i in range(2, 20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert clerk_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("content", "reported"),
    [
        (b"sku,warehouse,quantity\nA,ber,1\nA\x00,rtm,1\n", (3, "", "A NUL character")),
        (
            b"sku,warehouse,quantity\nA,ber,1\nB,rtm," + b"1" * 200_000 + b"\n",
            (3, "", "A cell is longer than 131072 characters."),
        ),
        (b"sku,warehouse," + b"q" * 200_000 + b"\n", (1, "", "A cell is longer")),
        (b"sku,warehouse,quantity,SKU\nA,ber,1,B\n", (1, "", "The column 'sku' is named twice")),
    ],
)
def test_a_file_the_csv_reader_or_the_database_cannot_take_is_a_bad_row(
    clerk_client, content, reported
):
    """A NUL character (PostgreSQL refuses it in any query) or a cell past the csv module's
    limit was a 500; it is the row where reading stopped, and nothing is imported. A header
    naming a column twice was read by its last cell, silently."""
    before = written()
    response = clerk_client.post(IMPORT, {"file": SimpleUploadedFile("count.csv", content)})

    assert response.status_code == 200
    row, column, reason = reported
    assert [(e.row, e.column) for e in response.context["errors"]] == [(row, column)]
    assert response.context["errors"][0].reason.startswith(reason)
    assert written() == before
