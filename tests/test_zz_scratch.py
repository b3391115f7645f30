import pytest
from tests.conftest import client_for
from anjian.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

def test_explore(cast, django_user_model):
    print("audit entries after cast:", AuditEntry.objects.count())
    from django.test import Client
    c = Client()
    for url in ["/", "/registry/enterprises/", "/api/v1/registry/enterprises", "/api/v1/", "/api/v1/docs", "/api/v1/openapi.json", "/admin/"]:
        r = c.get(url)
        print(url, r.status_code, r.headers.get("Location"), r.content[:300])
    viewer = client_for(cast.xuanwu_viewer)
    r = viewer.get(f"/registry/enterprises/{cast.enterprises['xuanwu'].pk}/edit/")
    print("viewer edit", r.status_code, r.content.decode()[:800])
    su = django_user_model.objects.create_superuser("root", password="x-very-long-pass")
    r = client_for(su).get("/registry/agencies/")
    print("su agencies", r.status_code, r.content.decode()[-600:])
    r = client_for(su).get("/registry/enterprises/")
    print("su ent", r.status_code, r.content.decode()[-600:])
    r = client_for(cast.xuanwu).get("/api/v1/docs")
    print(r.content.decode())
