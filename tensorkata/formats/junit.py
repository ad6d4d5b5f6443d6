"""JUnit XML: one test suite per topic, one test case per hidden test, for CI dashboards."""

import xml.etree.ElementTree as ET

from tensorkata.results import GradingResult
from tensorkata.formats.gradescope import test_entries


def write(result: GradingResult, path, lang: str) -> None:
    root = ET.Element("testsuites", name=f"tensorkata: {result.submission}", time=f"{result.execution_time:.3f}")
    for topic in result.topics:
        entries = [entry for e in topic.exercises for entry in test_entries(e, lang)]
        failures = sum(entry["status"] != "passed" for entry in entries)
        suite = ET.SubElement(root, "testsuite", name=topic.topic, tests=str(len(entries)), failures=str(failures))
        for entry in entries:
            case = ET.SubElement(suite, "testcase", classname=entry["extra_data"]["exercise"], name=entry["name"])
            if entry["status"] != "passed":
                failure = ET.SubElement(case, "failure", message=entry["output"].split("\n", 1)[0])
                failure.text = entry["output"]
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
