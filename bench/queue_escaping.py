"""Queue rows: escaping in the view with autoescape off (the desk's hot path) against Jinja's autoescape.

Renders the rows of a 50-row queue page both ways, many times, and prints the median per page.
Run: .venv/bin/python bench/queue_escaping.py
"""
import statistics
import timeit
from html import escape

from jinja2 import Environment

ROW = ("/declarations/123456", "7KQ2M9XRTA", "04/12/2026 09:15", "Đăng ký", "Nguyễn Thị Thùy <Linh>",
       "0791****1554", "09******78", "Ứng dụng VssID", "ready", "Chờ xử lý", "2 không đạt")
BODY = """{% for url, reference, submitted, kind, full_name, id_number, phone, channel, state, state_label, failing
in rows %}
<tr><td><a href="{{ url }}">{{ reference }}</a></td><td>{{ submitted }}</td><td>{{ kind }}</td><td>{{ full_name }}</td>
<td>{{ id_number }}</td><td>{{ phone }}</td><td>{{ channel }}</td><td><span class="badge state-{{ state }}">{{ state_label }}
</span></td><td>{% if failing %}<span class="badge badge-off">{{ failing }}</span>{% endif %}</td></tr>{% endfor %}"""


def main():
    env = Environment(autoescape=True)
    escaped_in_view = env.from_string("{% autoescape false %}" + BODY + "{% endautoescape %}")
    autoescaped = env.from_string(BODY)
    rows = [ROW] * 50

    def view_escape():
        return escaped_in_view.render(rows=[tuple(map(escape, row)) for row in rows])

    def markupsafe_escape():
        return autoescaped.render(rows=rows)

    assert view_escape().replace("&#x27;", "&#39;") == markupsafe_escape()
    results = {}
    for name, func in (("escape in view, autoescape off", view_escape), ("markupsafe autoescape", markupsafe_escape)):
        runs = [min(timeit.repeat(func, number=200, repeat=3)) / 200 * 1e6 for _ in range(7)]
        results[name] = statistics.median(runs)
        print(f"{name}: median {results[name]:.1f} µs per 50-row page")
    first, second = results.values()
    print(f"ratio markupsafe / view escape: {second / first:.2f}")


if __name__ == "__main__":
    main()
