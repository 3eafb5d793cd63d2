-- pandoc filter: keep only the top-level level-1 headings, one per block.
function Pandoc(doc)
  local out = {}
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.level == 1 then
      table.insert(out, pandoc.Plain(b.content))
    end
  end
  return pandoc.Pandoc(out, doc.meta)
end
