-- pandoc filter: the document's headings, one per line, each after as
-- many # as its level (the --headings file of tools/pdfstats.py).
-- Use with -t plain --wrap=none.
local found = {}

function Header(h)
  if #found > 0 then
    table.insert(found, pandoc.LineBreak())
  end
  table.insert(found, pandoc.Str(string.rep("#", h.level) .. " " ..
    pandoc.utils.stringify(h.content)))
end

function Pandoc(doc)
  return pandoc.Pandoc({ pandoc.Plain(found) }, pandoc.Meta({}))
end
