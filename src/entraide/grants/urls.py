from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("o/<slug:org>/bourses/", views.my_requests, name="mine"),
    path("o/<slug:org>/bourses/nouvelle/", views.new_request, name="new"),
    path("o/<slug:org>/bourses/toutes/", views.all_requests, name="all"),
    path("o/<slug:org>/bourses/budget/", views.budget, name="budget"),
    path("o/<slug:org>/bourses/<int:pk>/", views.detail, name="detail"),
    path("o/<slug:org>/bourses/<int:pk>/decision/", views.decide, name="decide"),
    path("o/<slug:org>/bourses/<int:pk>/justificatifs/", views.upload_receipt, name="upload"),
    path("o/<slug:org>/bourses/<int:pk>/justificatifs/<int:receipt>/", views.receipt_file, name="receipt"),
    path("o/<slug:org>/bourses/<int:pk>/paiement/", views.pay, name="pay"),
    path("o/<slug:org>/bourses/<int:pk>/trace.pdf", views.trace_pdf, name="trace"),
    path("o/<slug:org>/bourses/<int:pk>/article/", views.write_article, name="article"),
    path("o/<slug:org>/bourses/<int:pk>/article/relecture/", views.review_article, name="review"),
    path("o/<slug:org>/grand-livre/", views.ledger_page, name="ledger"),
    path("o/<slug:org>/grand-livre/grand-livre.csv", views.ledger_csv, name="ledger-csv"),
    path("o/<slug:org>/grand-livre/releves/<int:member>.pdf", views.statement_pdf, name="statement"),
    path("o/<slug:org>/articles/", views.network_articles, name="articles"),
]
