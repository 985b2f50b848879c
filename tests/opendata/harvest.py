"""Issue 29: harvest tiendo's public site as a CKAN harvester and a DCAT harvester would.

Starts from a fresh database with the demo data, issues four editions (two published
today, one under embargo until tomorrow, one never published), runs `tiendo serve`, then:

- pages through the CKAN action API (package_list, package_show, package_search with
  rows/start, current_package_list_with_resources) and collects every resource;
- reads the DCAT catalogue (JSON-LD) with rdflib and checks its structure (DCAT-AP 3's
  mandatory and recommended properties of catalogue, datasets and distributions; the
  DCAT-AP SHACL shapes do not ship in a PyPI package, so they are checked as queries);
- downloads every resource.

It must find every published edition and none other, the same in both harvests.

Usage: python harvest.py TIENDO_BIN
"""

import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tiendo(binary, database, *args):
    return subprocess.run(
        [binary, "--database", database, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "TIENDO_PASSWORD": "mật khẩu thử nghiệm"},
    ).stdout


def issued_id(output):
    # "Đã ban hành bản kh2024-2024-05-1: số …"
    return output.split("Đã ban hành bản ", 1)[1].split(":", 1)[0].split(" ", 1)[0]


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, url
        return response.read()


def get_json(url):
    return json.loads(get(url))


def ckan(base, action, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    answer = get_json(f"{base}/api/3/action/{action}" + (f"?{query}" if query else ""))
    assert answer["success"] is True, answer
    return answer["result"]


def main(binary):
    work = tempfile.mkdtemp(prefix="tiendo-harvest-")
    database = os.path.join(work, "h.db")
    demo = os.path.join(ROOT, "data", "demo")
    tiendo(binary, database, "init")
    tiendo(
        binary,
        database,
        "import",
        *sorted(
            os.path.join(demo, d)
            for d in os.listdir(demo)
            if os.path.isdir(os.path.join(demo, d))
        ),
    )
    vietnam = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)
    today = vietnam.date()
    tomorrow = today + datetime.timedelta(days=1)
    published = {
        issued_id(tiendo(binary, database, "issue", "--programme", "kh2024", "--public-from", today.isoformat())),
        issued_id(
            tiendo(binary, database, "issue", "--programme", "cdsqg", "--period", "2024-05", "--public-from", today.isoformat())
        ),
    }
    hidden = {
        issued_id(tiendo(binary, database, "issue", "--programme", "cl942", "--public-from", tomorrow.isoformat())),
        issued_id(tiendo(binary, database, "issue", "--programme", "mh2025")),
    }

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--database", database, "serve", "--listen", f"127.0.0.1:{port}", "--compact-every", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                get(f"{base}/cong-khai")
                break
            except OSError:
                time.sleep(0.1)
        harvest(base, published, hidden)
    finally:
        server.terminate()
        server.wait(timeout=30)


def edition_of(url):
    # …/cong-khai/ban/<edition>/tep/pdf or …/cong-khai/ban/<edition>/so-lieu.csv
    return url.split("/cong-khai/ban/", 1)[1].split("/", 1)[0]


def harvest(base, published, hidden):
    # CKAN, as ckanext-harvest's CKAN harvester: the list, then each package.
    names = ckan(base, "package_list")
    packages = [ckan(base, "package_show", id=name) for name in names]
    paged, start = [], 0
    while True:
        page = ckan(base, "package_search", rows=1, start=start)
        paged.extend(page["results"])
        start += 1
        if start >= page["count"]:
            break
    assert [p["name"] for p in paged] == names, "package_search pages through every package"
    current = ckan(base, "current_package_list_with_resources", limit=100)
    assert sorted(p["name"] for p in current) == sorted(names)
    ckan_urls = {r["url"] for p in packages for r in p["resources"]}
    for p in packages:
        assert p["license_url"] and p["title"] and p["resources"], p["name"]
    ckan_editions = {edition_of(u) for u in ckan_urls}
    assert ckan_editions == published, f"CKAN: {ckan_editions} != {published}"

    # DCAT, read as RDF.
    graph = rdflib.Graph()
    graph.parse(data=get(f"{base}/cong-khai/danh-muc.jsonld"), format="json-ld")
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1, catalogues
    catalogue = catalogues[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalogue, prop) is not None, f"catalogue has {prop}"
    datasets = list(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == len(names), f"{len(datasets)} datasets, {len(names)} packages"
    dcat_urls = set()
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCTERMS.issued, DCTERMS.temporal, DCAT.contactPoint):
            assert graph.value(dataset, prop) is not None, f"{dataset} has {prop}"
        issued = graph.value(dataset, DCTERMS.issued)
        assert issued.datatype == rdflib.XSD.date, issued
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            for prop in (DCAT.accessURL, DCAT.downloadURL, DCAT.mediaType, DCTERMS.license):
                assert graph.value(distribution, prop) is not None, f"{distribution} has {prop}"
            dcat_urls.add(str(graph.value(distribution, DCAT.downloadURL)))
    assert dcat_urls == ckan_urls, "the catalogue and CKAN list the same files"

    # Every resource downloads; nothing of the hidden editions is anywhere.
    for url in sorted(ckan_urls):
        body = get(url)
        assert body, url
        if url.endswith(".csv"):
            assert body.decode("utf-8").startswith("edition_id,"), url
    for text in (get(f"{base}/cong-khai").decode(), get(f"{base}/cong-khai/ban-moi.atom").decode()):
        for edition in hidden:
            assert edition not in text, edition
    print(f"harvest: {len(names)} packages, {len(ckan_urls)} resources, editions {sorted(published)}; none of {sorted(hidden)}")


if __name__ == "__main__":
    main(sys.argv[1])
