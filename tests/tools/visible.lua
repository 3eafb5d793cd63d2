-- pandoc filter: keep only the text a reader of an edition sees in its body.
-- Raw HTML is dropped by folio (its contract), so it is removed here too.
-- With FOLIO_DROP_IMAGES=1, the alt text of an image whose file exists is
-- removed as well: the picture is shown instead (the print edition need not
-- print it). The alt text of a missing image stays: folio shows it instead.
-- FOLIO_SRC_DIR is the folder that relative image paths start from.
local base = os.getenv("FOLIO_SRC_DIR") or "."
local drop_images = os.getenv("FOLIO_DROP_IMAGES") == "1"

local function exists(path)
  local f = io.open(path, "rb")
  if f then
    f:close()
    return true
  end
  return false
end

function RawInline(_)
  return {}
end

function RawBlock(_)
  return {}
end

function Image(el)
  if not drop_images then
    return nil
  end
  local src = el.src
  if src:match("^%a[%w+.-]*:") then
    return nil -- a URL: not a local picture
  end
  src = src:gsub("[?#].*$", "")
  if src:sub(1, 1) ~= "/" then
    src = base .. "/" .. src
  end
  if exists(src) then
    return {}
  end
  return nil
end
