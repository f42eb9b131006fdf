# The table of make bench, from bench/run.sh's figures (size <tab> figure <tab> value), in
# Markdown. Each husly figure is followed by its ratio to sqlite3 doing the same work at that size
# (x2.0: twice sqlite3's time), where there is a baseline; then how the figure grew from the
# smallest size to the largest, and the target at 100,000 residents with whether it was met.
# -v sizes="1000 10000 100000".

function rows_add(key, label, unit, base, target) {
	nrow++
	rkey[nrow] = key; rlabel[nrow] = label; runit[nrow] = unit
	rbase[nrow] = base; rtarget[nrow] = target
}

function commas(n,   s) {
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}

function have(size, key) { return ((size SUBSEP key) in v) && v[size, key] != "nan" }

# The figure as the table shows it.
function show(x, unit) {
	if (unit == "ms")
		return x < 10 ? sprintf("%.2f ms", x) : x < 1000 ? sprintf("%.1f ms", x) \
			: sprintf("%.1f s", x / 1000)
	if (unit == "kb")
		return sprintf("%.1f MB", x / 1024)
	if (unit == "bytes")
		return x < 10240 ? sprintf("%d B", x) : x < 10485760 ? sprintf("%.1f KB", x / 1024) \
			: x < 10737418240 ? sprintf("%.0f MB", x / 1048576) : sprintf("%.1f GB", x / 1073741824)
	if (unit == "pages/s")
		return sprintf("%.0f/s", x)
	return sprintf("%g", x)
}

# The target's limit in the figure's own unit, from "<= 30 ms", "<= 8 KB", "<= 24 MB", "<= 40".
function limit(target, unit,   a) {
	split(target, a, " ")
	if (a[3] == "KB") return a[2] * 1024
	if (a[3] == "MB") return unit == "kb" ? a[2] * 1024 : a[2] * 1048576
	return a[2] + 0
}

BEGIN {
	FS = "\t"
	nsizes = split(sizes, size, " ")
	rows_add("start.ms", "Start to the first full screen of the list", "ms", "sqlite.start.ms", "<= 30 ms")
	rows_add("search.ms", "One search keystroke, residents present (query and redraw)", "ms", "sqlite.search.ms", "<= 5 ms")
	rows_add("search_all.ms", "One search keystroke, all residents, by room", "ms", "sqlite.search_all.ms", "<= 5 ms")
	rows_add("search_all_name.ms", "One search keystroke, all residents, by name", "ms", "sqlite.search_all.ms", "<= 5 ms")
	rows_add("open.ms", "Opening a resident", "ms", "sqlite.open.ms", "")
	rows_add("save.ms", "Saving one field", "ms", "sqlite.save.ms", "<= 5 ms")
	rows_add("export_full.ms", "export --full", "ms", "sqlite.export_full.ms", "")
	rows_add("export_full.bytes", "export --full: the bundle", "bytes", "sqlite.export_full.bytes", "")
	rows_add("import_full.ms", "import of it into a new database", "ms", "sqlite.import_full.ms", "")
	rows_add("delta.changes", "Changes in a delta", "", "", "")
	rows_add("export_delta.ms", "Delta export", "ms", "sqlite.export_delta.ms", "<= 50 ms")
	rows_add("export_delta.bytes", "Delta export: the bundle", "bytes", "sqlite.export_delta.bytes", "<= 8 KB")
	rows_add("import_delta.ms", "import of the delta", "ms", "sqlite.import_delta.ms", "<= 50 ms")
	rows_add("print.rate", "print --all (pages per second)", "pages/s", "", "")
	rows_add("print.pages", "print --all: pages", "", "", "")
	rows_add("report.ms", "report (this year)", "ms", "sqlite.report.ms", "")
	rows_add("tui.kb", "Peak memory: the terminal session", "kb", "sqlite.tui.kb", "<= 24 MB")
	rows_add("export_full.kb", "Peak memory: export --full", "kb", "", "<= 24 MB")
	rows_add("import_full.kb", "Peak memory: import --full bundle", "kb", "", "<= 24 MB")
	rows_add("export_delta.kb", "Peak memory: delta export", "kb", "", "<= 24 MB")
	rows_add("import_delta.kb", "Peak memory: delta import", "kb", "", "<= 24 MB")
	rows_add("print.kb", "Peak memory: print --all", "kb", "", "<= 24 MB")
	rows_add("report.kb", "Peak memory: report", "kb", "", "<= 24 MB")
	rows_add("type.bytes", "Bytes to the terminal per character typed in a form", "bytes", "", "<= 40")
	rows_add("scroll.bytes", "Bytes to the terminal per line scrolled in the list", "bytes", "", "")
}

{ v[$1, $2] = $3 }

END {
	for (i = 1; i <= nsizes; i++)
		if (have(size[i], "print.pages") && have(size[i], "print.ms") && v[size[i], "print.ms"] > 0)
			v[size[i], "print.rate"] = v[size[i], "print.pages"] / (v[size[i], "print.ms"] / 1000)
	last = size[nsizes]
	head = "| Figure |"
	rule = "|---|"
	for (i = 1; i <= nsizes; i++) {
		head = head " " commas(size[i]) " residents |"
		rule = rule "---:|"
	}
	print head " sqlite3 at " commas(last) " | Growth | Target at 100,000 |"
	print rule "---:|---:|---|"
	for (r = 1; r <= nrow; r++) {
		k = rkey[r]; u = runit[r]; b = rbase[r]
		line = "| " rlabel[r] " |"
		for (i = 1; i <= nsizes; i++) {
			s = size[i]
			if (!have(s, k)) { line = line " |"; continue }
			cell = show(v[s, k], u)
			if (b != "" && have(s, b) && v[s, b] > 0)
				cell = cell sprintf(" x%.1f", v[s, k] / v[s, b])
			line = line " " cell " |"
		}
		line = line " " (b != "" && have(last, b) ? show(v[last, b], u) : "") " |"
		g = ""
		if (nsizes > 1 && have(size[1], k) && have(last, k) && v[size[1], k] > 0)
			g = sprintf("x%.1f", v[last, k] / v[size[1], k])
		line = line " " g " |"
		t = rtarget[r]
		if (t != "" && have(last, k)) {
			lim = limit(t, u)
			t = t (last >= 100000 ? (v[last, k] <= lim ? ": met" : ": MISSED") : "")
		}
		gsub(/<=/, "≤", t)
		print line " " t " |"
	}
}
