/*
 * Syntax highlighting with GNU Source-highlight, behind the C interface
 * of highlight.h.  The library's highlighter calls a formatter for each
 * piece of a line with the piece's element name ("keyword", "string"...);
 * our formatters record the pieces as spans.  Each language definition is
 * read and its regular expressions built once, on first use.  Console
 * sessions and diffs are classed line by line here, which is simpler
 * and surer than source-highlight's rules for them.  No C++ exception
 * leaves this file: a failure leaves the block plain.
 */
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/formatterparams.h>
#include <srchilite/highlightevent.h>
#include <srchilite/highlighteventlistener.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/parserexception.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>

extern "C" {
#include "buf.h"
#include "highlight.h"
#include "utf8.h"
}

namespace {

/* Source-highlight's element names, and ours; others are plain. */
const struct {
	const char	*name;
	enum hl_class	 cls;
} elements[] = {
	{ "keyword", HL_KEYWORD },
	{ "section", HL_KEYWORD },	/* [table] of ini, TOML */
	{ "type", HL_TYPE },
	{ "usertype", HL_TYPE },
	{ "classname", HL_TYPE },
	{ "selector", HL_TYPE },
	{ "string", HL_STRING },
	{ "regexp", HL_STRING },
	{ "specialchar", HL_STRING },	/* escapes inside strings */
	{ "valquote", HL_STRING },
	{ "char", HL_CHAR },
	{ "number", HL_NUMBER },
	{ "comment", HL_COMMENT },
	{ "todo", HL_COMMENT },		/* both only inside comments */
	{ "url", HL_COMMENT },
	{ "preproc", HL_PREPROC },
	{ "function", HL_FUNCTION },
	{ "predef_func", HL_FUNCTION },
	{ "variable", HL_VARIABLE },
	{ "predef_var", HL_VARIABLE },
	{ "symbol", HL_SYMBOL },
	{ "cbracket", HL_SYMBOL },
	{ "colon", HL_SYMBOL },
	{ "paren", HL_SYMBOL },
	{ "property", HL_ATTRIBUTE },
	{ "attribute", HL_ATTRIBUTE },
	{ "key", HL_ATTRIBUTE },
	{ "keyquote", HL_ATTRIBUTE },
	{ "label", HL_ATTRIBUTE },
	{ "newfile", HL_INSERTED },
	{ "oldfile", HL_DELETED },
	{ "difflines", HL_PREPROC },
};

const char *const class_names[HL__MAX] = {
	"pl", "kw", "ty", "st", "ch", "nu", "co",
	"pp", "fn", "va", "sy", "at",
	"ins", "del", "pr",
};

enum kind { K_NONE, K_LANG, K_CONSOLE, K_DIFF };

/*
 * Language flags: how to read a definition's elements.  F_MARKUP is
 * set when a definition is loaded, so all the names of a file agree.
 */
enum {
	F_MARKUP = 1,	/* "type" is an attribute name (html, xml) */
	F_QUOTECHAR = 2	/* a string in '' is a character (C, Java, Go) */
};

const struct {
	const char	*alias;
	enum kind	 kind;
	const char	*file;
	int		 flags;
} aliases[] = {
	{ "rust", K_LANG, "rust.lang", 0 },
	{ "rs", K_LANG, "rust.lang", 0 },
	{ "c", K_LANG, "c.lang", F_QUOTECHAR },
	{ "h", K_LANG, "c.lang", F_QUOTECHAR },
	{ "cpp", K_LANG, "cpp.lang", F_QUOTECHAR },
	{ "c++", K_LANG, "cpp.lang", F_QUOTECHAR },
	{ "cxx", K_LANG, "cpp.lang", F_QUOTECHAR },
	{ "cc", K_LANG, "cpp.lang", F_QUOTECHAR },
	{ "hpp", K_LANG, "cpp.lang", F_QUOTECHAR },
	{ "go", K_LANG, "go.lang", F_QUOTECHAR },
	{ "golang", K_LANG, "go.lang", F_QUOTECHAR },
	{ "java", K_LANG, "java.lang", F_QUOTECHAR },
	{ "python", K_LANG, "python.lang", 0 },
	{ "python3", K_LANG, "python.lang", 0 },
	{ "py", K_LANG, "python.lang", 0 },
	{ "sh", K_LANG, "sh.lang", 0 },
	{ "bash", K_LANG, "sh.lang", 0 },
	{ "shell", K_LANG, "sh.lang", 0 },
	{ "ksh", K_LANG, "sh.lang", 0 },
	{ "zsh", K_LANG, "zsh.lang", 0 },
	{ "console", K_CONSOLE, "sh.lang", 0 },
	{ "shell-session", K_CONSOLE, "sh.lang", 0 },
	{ "sh-session", K_CONSOLE, "sh.lang", 0 },
	{ "shellsession", K_CONSOLE, "sh.lang", 0 },
	{ "toml", K_LANG, "toml.lang", 0 },
	{ "json", K_LANG, "json.lang", 0 },
	{ "yaml", K_LANG, "yaml.lang", 0 },
	{ "yml", K_LANG, "yaml.lang", 0 },
	{ "javascript", K_LANG, "javascript.lang", 0 },
	{ "js", K_LANG, "javascript.lang", 0 },
	{ "mjs", K_LANG, "javascript.lang", 0 },
	{ "typescript", K_LANG, "javascript.lang", 0 },
	{ "ts", K_LANG, "javascript.lang", 0 },
	{ "html", K_LANG, "html.lang", F_MARKUP },
	{ "htm", K_LANG, "html.lang", F_MARKUP },
	{ "xhtml", K_LANG, "xml.lang", F_MARKUP },
	{ "xml", K_LANG, "xml.lang", F_MARKUP },
	{ "svg", K_LANG, "xml.lang", F_MARKUP },
	{ "css", K_LANG, "css.lang", 0 },
	{ "sql", K_LANG, "sql.lang", 0 },
	{ "ini", K_LANG, "desktop.lang", 0 },
	{ "diff", K_DIFF, NULL, 0 },
	{ "patch", K_DIFF, NULL, 0 },
	{ "text", K_NONE, NULL, 0 },
	{ "txt", K_NONE, NULL, 0 },
	{ "plain", K_NONE, NULL, 0 },
	{ "plaintext", K_NONE, NULL, 0 },
	{ "none", K_NONE, NULL, 0 },
};

/* Where a line's pieces go. */
struct Sink {
	std::vector<struct hl_span>	 spans;
	size_t				 base;	/* the line's offset */
	size_t				 end;	/* and its end */
	size_t				 cursor;

	void
	add(enum hl_class cls, size_t off, size_t len)
	{
		if (off >= end)
			return;
		if (len > end - off)
			len = end - off;
		if (len == 0 || cls == HL_PLAIN)
			return;
		if (!spans.empty() && spans.back().cls == cls &&
		    spans.back().off + spans.back().len == off) {
			spans.back().len += len;
			return;
		}
		spans.push_back({ off, len, cls });
	}
};

class Piece : public srchilite::Formatter {
	Sink		*sink;
	enum hl_class	 cls;
public:
	Piece(Sink *s, enum hl_class c) : sink(s), cls(c) {}

	void
	format(const std::string &s, const srchilite::FormatterParams *p)
	    override
	{
		size_t	 off;

		/* the params know the piece's column; count if they don't */
		if (p != nullptr && p->start >= 0)
			off = sink->base + (size_t)p->start;
		else
			off = sink->cursor;
		sink->add(cls, off, s.size());
		sink->cursor = off + s.size();
	}
};

struct Runaway {};

/*
 * Every match is an event, and before each one source-highlight tries
 * every rule of the state on the rest of the line: a block's work is
 * about the sum of what is left of the line at each event.  Past
 * WORK_MAX (some seconds) the block is given up, so that long lines
 * dense with tokens cannot take minutes.  And a rule matching the empty
 * string makes source-highlight loop on a line forever: a line has at
 * most a few events per byte.
 */
const unsigned long long WORK_MAX = 1ULL << 24;

class Guard : public srchilite::HighlightEventListener {
public:
	const srchilite::FormatterParams *params = nullptr;
	size_t			 events = 0, events_max = 0, line = 0;
	unsigned long long	 work = 0;

	void
	notify(const srchilite::HighlightEvent &) override
	{
		size_t	 at = (size_t)(params->start < 0 ? 0 : params->start);

		work += (at < line ? line - at : 0) + 1;
		if (++events > events_max || work > WORK_MAX)
			throw Runaway();
	}
};

struct Lang {
	srchilite::FormatterManager			 formatters;
	std::unique_ptr<srchilite::SourceHighlighter>	 hl;

	Lang() : formatters(srchilite::FormatterPtr()) {}
	~Lang()
	{
		/* the highlighter refers to the formatters: it goes first */
		hl.reset();
	}
};

struct Cache {
	srchilite::RegexRuleFactory			 factory;
	srchilite::LangDefManager			 defs{&factory};
	srchilite::FormatterParams			 params;
	Sink						 sink;
	Guard						 guard;
	std::string					 sysdir;
	/* by file; null for one that did not load */
	std::map<std::string, std::unique_ptr<Lang>>	 langs;
	/* source-highlight's lang.map, for the languages not above */
	std::map<std::string, std::string>		 langmap;
	bool						 langmap_read = false;

	~Cache()
	{
		/* the highlighters' states hold rules made by the factory */
		langs.clear();
	}
};

/* Kept when the cache goes. */
Cache		*cache;
std::string	 datadir;
/*
 * A definition with a syntax error (an unterminated string) leaves the
 * library's scanner in a state that spoils every definition read after
 * it: those already built are fine, no other is read.
 */
bool		 parser_spoilt;

Cache *
get_cache()
{
	const char	*env;

	if (cache == nullptr) {
		cache = new Cache;
		env = getenv("SOURCE_HIGHLIGHT_DATADIR");
		if (env != nullptr && *env != '\0')
			cache->sysdir = env;
		else
			cache->sysdir =
			    srchilite::Settings::getDefaultDataDir();
	}
	return cache;
}

/* Our definition if there is one, else source-highlight's, else none. */
std::string
lang_dir(Cache *c, const std::string &file)
{
	if (!datadir.empty() &&
	    access((datadir + "/" + file).c_str(), R_OK) == 0)
		return datadir;
	if (access((c->sysdir + "/" + file).c_str(), R_OK) == 0)
		return c->sysdir;
	return std::string();
}

Lang *
lang_load(Cache *c, const std::string &file, int flags)
{
	std::unique_ptr<Lang>			 lang;
	srchilite::HighlightStatePtr		 state;
	std::string				 dir;
	enum hl_class				 cls;

	auto it = c->langs.find(file);
	if (it != c->langs.end())
		return it->second.get();
	/* a definition that fails to load is not read again */
	c->langs[file] = nullptr;
	if (parser_spoilt || (dir = lang_dir(c, file)).empty())
		return nullptr;

	try {
		state = c->defs.getHighlightState(dir, file);
	} catch (const srchilite::ParserException &) {
		parser_spoilt = true;
		return nullptr;
	}
	lang.reset(new Lang);
	for (const auto &e : elements) {
		cls = e.cls;
		if ((flags & F_MARKUP) && strcmp(e.name, "type") == 0)
			cls = HL_ATTRIBUTE;
		lang->formatters.addFormatter(e.name,
		    srchilite::FormatterPtr(new Piece(&c->sink, cls)));
	}
	lang->formatters.setDefaultFormatter(
	    srchilite::FormatterPtr(new Piece(&c->sink, HL_PLAIN)));
	lang->hl.reset(new srchilite::SourceHighlighter(state));
	lang->hl->setFormatterManager(&lang->formatters);
	lang->hl->setFormatterParams(&c->params);
	lang->hl->setOptimize(false);
	lang->hl->addListener(&c->guard);
	c->langs[file] = std::move(lang);
	return c->langs[file].get();
}

/* source-highlight's own names ("ruby", "lua"...), lower case only. */
const std::string *
langmap_find(Cache *c, const std::string &word)
{
	if (!c->langmap_read) {
		c->langmap_read = true;
		try {
			srchilite::LangMap	 m(c->sysdir, "lang.map");

			m.open();
			for (auto it = m.begin(); it != m.end(); ++it) {
				const std::string &k = it->first;
				bool	 lower = true;

				for (char ch : k)
					if (ch >= 'A' && ch <= 'Z')
						lower = false;
				if (lower && !it->second.empty())
					c->langmap[k] = it->second;
			}
		} catch (...) {
			c->langmap.clear();
		}
	}
	auto it = c->langmap.find(word);
	return it == c->langmap.end() ? nullptr : &it->second;
}

/*
 * The info string's first word, lower case: "rust,ignore" and
 * "console text" name rust and console.  Empty if it is not a name.
 */
std::string
lang_word(const char *info)
{
	std::string	 w;
	const char	*p;

	for (p = info; *p == ' ' || *p == '\t'; p++)
		continue;
	for (; *p != '\0' && *p != ',' && *p != ' ' && *p != '\t' &&
	    *p != '\n'; p++) {
		char	 ch = *p;

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '+' || ch == '-' || ch == '_' || ch == '#' ||
		    ch == '.') || w.size() >= 32)
			return std::string();
		w += ch;
	}
	return w;
}

void
reset(Lang *l)
{
	l->hl->setCurrentState(l->hl->getMainState());
	l->hl->clearStateStack();
}

/* One line (no newline) through a language's rules. */
void
run_line(Cache *c, Lang *l, const char *code, size_t off, size_t n)
{
	if (n > HL_LINE_MAX)
		return;		/* stays plain; the state goes on */
	c->sink.base = c->sink.cursor = off;
	c->sink.end = off + n;
	c->guard.events = 0;
	c->guard.events_max = 8 * n + 64;
	c->guard.line = n;
	c->params.start = 0;
	l->hl->highlightParagraph(std::string(code + off, n));
}

/* The length of the line at off, without its newline or CR. */
size_t
line_len(const char *code, size_t len, size_t off, size_t *next)
{
	const char	*nl;
	size_t		 n;

	nl = (const char *)memchr(code + off, '\n', len - off);
	n = nl == nullptr ? len - off : (size_t)(nl - (code + off));
	*next = nl == nullptr ? len : off + n + 1;
	if (n > 0 && code[off + n - 1] == '\r')
		n--;
	return n;
}

void
run_lang(Cache *c, Lang *l, const char *code, size_t len)
{
	size_t	 off, next, n;

	reset(l);
	for (off = 0; off < len; off = next) {
		n = line_len(code, len, off, &next);
		run_line(c, l, code, off, n);
	}
}

/*
 * A terminal session: "$ " starts a command, highlighted as sh (and so
 * is a line after one ending in a backslash); other lines are output.
 */
void
run_console(Cache *c, Lang *sh, const char *code, size_t len)
{
	size_t	 off, next, n;
	int	 more = 0;

	for (off = 0; off < len; off = next) {
		n = line_len(code, len, off, &next);
		if (n >= 1 && code[off] == '$' &&
		    (n == 1 || code[off + 1] == ' ')) {
			c->sink.base = c->sink.cursor = off;
			c->sink.end = off + n;
			c->sink.add(HL_PROMPT, off, 1);
			reset(sh);
			if (n > 2)
				run_line(c, sh, code, off + 2, n - 2);
			more = n > 2 && code[off + n - 1] == '\\';
		} else if (more) {
			run_line(c, sh, code, off, n);
			more = n > 0 && code[off + n - 1] == '\\';
		}
	}
}

int
starts(const char *s, size_t n, const char *prefix)
{
	size_t	 k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* A diff, unified or not: whole lines inserted, deleted or headers. */
void
run_diff(Cache *c, const char *code, size_t len)
{
	size_t		 off, next, n, n2, next2;
	enum hl_class	 cls;
	int		 header = 0;

	for (off = 0; off < len; off = next) {
		n = line_len(code, len, off, &next);
		const char *s = code + off;

		if (starts(s, n, "--- ") && next < len) {
			/* "--- a" and "+++ b" name the files */
			n2 = line_len(code, len, next, &next2);
			header = starts(code + next, n2, "+++ ");
		}
		if (header && (starts(s, n, "--- ") || starts(s, n, "+++ ")))
			cls = HL_PREPROC;
		else if (starts(s, n, "@@") || starts(s, n, "diff ") ||
		    starts(s, n, "index ") || starts(s, n, "Index: "))
			cls = HL_PREPROC;
		else if (starts(s, n, "+") || starts(s, n, ">"))
			cls = HL_INSERTED;
		else if (starts(s, n, "-") || starts(s, n, "<"))
			cls = HL_DELETED;
		else if (starts(s, n, "\\ "))
			cls = HL_COMMENT;	/* "\ No newline at end" */
		else
			cls = HL_PLAIN;
		if (!starts(s, n, "+++ "))
			header = header && starts(s, n, "--- ");
		c->sink.base = c->sink.cursor = off;
		c->sink.end = off + n;
		c->sink.add(cls, off, n);
	}
}

/* Back to the start of the UTF-8 character that p is inside, if any. */
size_t
char_start(const char *code, size_t len, size_t p)
{
	uint32_t	 cp;
	size_t		 q;

	if (p == 0 || p >= len)
		return p;
	for (q = p; q > 0 && p - q < 3; q--) {
		if (((unsigned char)code[q - 1] & 0xC0) != 0x80) {
			if (q - 1 + utf8_decode(code + q - 1, len - (q - 1),
			    &cp) > p)
				return q - 1;
			break;
		}
	}
	return p;
}

/*
 * Spans in order, not overlapping, whole characters, adjacent spans of
 * a class merged.
 */
void
finish(std::vector<struct hl_span> &v, const char *code, size_t len,
    int flags)
{
	std::vector<struct hl_span>	 out;
	size_t				 last = 0, a, b;

	for (const auto &s : v) {
		if (s.off >= len)
			break;
		a = char_start(code, len, s.off < last ? last : s.off);
		b = s.len > len - s.off ? len : s.off + s.len;
		b = char_start(code, len, b);
		if (a < last)
			a = last;
		if (b <= a)
			continue;
		if (!out.empty() && out.back().cls == s.cls &&
		    out.back().off + out.back().len == a)
			out.back().len = b - out.back().off;
		else
			out.push_back({ a, b - a, s.cls });
		last = b;
	}
	if (flags & F_QUOTECHAR)
		for (auto &s : out)
			if (s.cls == HL_STRING && s.len >= 3 &&
			    code[s.off] == '\'' &&
			    code[s.off + s.len - 1] == '\'')
				s.cls = HL_CHAR;
	v.swap(out);
}

int
run(const char *name, const char *code, size_t len,
    struct hl_span **spans, size_t *nspans)
{
	Cache			*c = get_cache();
	std::string		 word = lang_word(name);
	enum kind		 kind = K_LANG;
	const char		*file = nullptr;
	const std::string	*mapped;
	int			 flags = 0;
	Lang			*l = nullptr;
	size_t			 i;

	if (word.empty())
		return -1;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (word == aliases[i].alias) {
			kind = aliases[i].kind;
			file = aliases[i].file;
			flags = aliases[i].flags;
			break;
		}
	if (i == sizeof(aliases) / sizeof(aliases[0])) {
		if ((mapped = langmap_find(c, word)) == nullptr ||
		    *mapped == "nohilite.lang")
			return -1;
		file = mapped->c_str();
	}
	if (kind == K_NONE)
		return -1;
	if (file != nullptr && (l = lang_load(c, file, flags)) == nullptr)
		return -1;

	c->sink.spans.clear();
	c->guard.params = &c->params;
	c->guard.work = 0;
	switch (kind) {
	case K_CONSOLE:
		run_console(c, l, code, len);
		break;
	case K_DIFF:
		run_diff(c, code, len);
		break;
	default:
		run_lang(c, l, code, len);
		break;
	}
	finish(c->sink.spans, code, len, flags);

	if (!c->sink.spans.empty()) {
		*spans = (struct hl_span *)xreallocarray(NULL,
		    c->sink.spans.size(), sizeof(**spans));
		memcpy(*spans, c->sink.spans.data(),
		    c->sink.spans.size() * sizeof(**spans));
		*nspans = c->sink.spans.size();
	}
	/* a big block's spans are not kept */
	if (c->sink.spans.capacity() > 4096)
		std::vector<struct hl_span>().swap(c->sink.spans);
	else
		c->sink.spans.clear();
	return 0;
}

}	/* namespace */

void
highlight_init(const char *dir)
{
	try {
		/* languages read from the old folder are read again */
		if (cache != nullptr)
			cache->langs.clear();
		datadir.clear();
		if (dir != nullptr && *dir != '\0')
			datadir = std::string(dir) + "/styles/highlight";
	} catch (...) {
		/* source-highlight's definitions alone, or none */
	}
}

int
highlight(const char *lang, const char *code, size_t len,
    struct hl_span **spans, size_t *nspans)
{
	if (spans != nullptr)
		*spans = nullptr;
	if (nspans != nullptr)
		*nspans = 0;
	if (lang == nullptr || spans == nullptr || nspans == nullptr ||
	    (code == nullptr && len > 0) || len > HL_CODE_MAX)
		return -1;
	try {
		return run(lang, code, len, spans, nspans);
	} catch (...) {
		/* a definition that does not parse, a regex too complex... */
		if (cache != nullptr)
			cache->sink.spans.clear();
		free(*spans);
		*spans = nullptr;
		*nspans = 0;
		return -1;
	}
}

const char *
hl_class_name(enum hl_class cls)
{
	if ((int)cls < 0 || cls >= HL__MAX)
		return class_names[HL_PLAIN];
	return class_names[cls];
}

void
highlight_cleanup(void)
{
	try {
		delete cache;
	} catch (...) {
		/* nothing more can be done */
	}
	cache = nullptr;
}
