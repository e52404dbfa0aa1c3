"""Forms of orders' storefront pages."""

from django import forms


class OrderLookupForm(forms.Form):
    number = forms.CharField(label="Order number", max_length=20, help_text="e.g. CM-7KQ4-X9PD")
    email = forms.EmailField(label="E-mail used for the order")
