-- The long tail of `make bench`: 8 connections read pages the way many visitors do, each a
-- different page: every published idea, 300 list pages, filters and searches.
-- bench/run.py passes one argument: a file with one address per line, each line starting with
-- its kind ("idea", "list", "filter", "search"), a space, and the address.
local kinds, names = {}, { "idea", "list", "filter", "search" }
-- Per 100 reads: 50 idea pages, 25 list pages, 15 filtered lists, 10 searches.
local weights = { idea = 50, list = 25, filter = 15, search = 10 }

init = function(args)
  for _, name in ipairs(names) do kinds[name] = {} end
  for line in io.lines(args[1]) do
    local kind, path = line:match("^(%S+) (%S+)$")
    if kind then table.insert(kinds[kind], path) end
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

request = function()
  local roll, sum = math.random(100), 0
  for _, name in ipairs(names) do
    sum = sum + weights[name]
    if roll <= sum then
      local paths = kinds[name]
      return wrk.format("GET", paths[math.random(#paths)], { ["Accept-Encoding"] = "br, gzip" })
    end
  end
end

statuses = {}
response = function(status, headers, body)
  local key = tostring(math.floor(status / 100)) .. "xx"
  statuses[key] = (statuses[key] or 0) + 1
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do totals[key] = (totals[key] or 0) + n end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "socket_errors": %d, "2xx": %d, "other": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), e.connect + e.read + e.write + e.timeout,
    totals["2xx"] or 0, summary.requests - (totals["2xx"] or 0)))
end
