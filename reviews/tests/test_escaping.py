"""Stored XSS: whatever a reviewer or a moderator typed is shown escaped, everywhere."""

import pytest
from django.contrib.auth import get_user_model

from reviews import services
from reviews.tests.factories import deliver, write

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.django_db(transaction=True)  # the product page reads reviews on its own connection
def test_review_texts_and_staff_replies_are_escaped_on_every_page(client, products, ada):
    deliver(ada, "TEA")
    review = write(
        ada,
        products["TEA"],
        title=f"T{SCRIPT}",
        body=f"B{SCRIPT}",
        pros=f"P{SCRIPT}",
        cons=f"C{SCRIPT}",
    )
    services.review_reply(review_id=review.id, text=f"R{SCRIPT}")
    staff = get_user_model().objects.create_superuser("root", "root@example.com", "pw")

    client.force_login(ada)
    pages = {
        "product page": client.get(f"/products/{review.product_slug}/"),
        "your reviews": client.get("/account/reviews/"),
        "review form": client.get(f"/reviews/write/{products['TEA']}/"),
    }
    client.force_login(staff)
    pages["admin list"] = client.get("/admin/reviews/review/")
    pages["admin review"] = client.get(f"/admin/reviews/review/{review.id}/change/")

    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert SCRIPT not in html, name
        assert ESCAPED in html, name
    product_page = pages["product page"].content.decode()
    assert "Reply from the shop" in product_page
    for prefix in "TBPCR":  # title, body, pros, cons, reply: each shown, each escaped
        assert f"{prefix}{ESCAPED}" in product_page


@pytest.mark.django_db
def test_a_rejection_reason_is_escaped_where_its_author_reads_it(client, products, ada):
    review = write(ada, products["TEA"])  # not verified: waits for a moderator
    services.reviews_moderate(review_ids=[review.id], approve=False, reason=f"Q{SCRIPT}")

    client.force_login(ada)
    html = client.get("/account/reviews/").content.decode()

    assert SCRIPT not in html
    assert f"Q{ESCAPED}" in html
