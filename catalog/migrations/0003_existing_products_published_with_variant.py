"""Products created before publish states and variants existed were all on sale:
publish them (from their creation time) and give each its default variant."""

from django.db import migrations


def forwards(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    ProductVariant = apps.get_model("catalog", "ProductVariant")
    for product in Product.objects.filter(variants__isnull=True):
        ProductVariant.objects.create(product=product, sku=product.sku)
    for product in Product.objects.filter(published_at__isnull=True, status="draft"):
        product.status = "published"
        product.published_at = product.created_at
        product.save(update_fields=["status", "published_at"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_variants_types_brands_images_projection")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
