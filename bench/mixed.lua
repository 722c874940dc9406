-- The bounded mixed load of `make bench`: visitors browsing, supporting ideas and posting forms.
-- bench/run.py passes: the CSRF cookie and token, then the references of public ideas.
-- Per 100 requests: 70 pages read, 20 supports given, 10 contact-form messages.
local cookie, token, refs = nil, nil, {}
local counter = 0

init = function(args)
  cookie, token = args[1], args[2]
  for i = 3, #args do refs[#refs + 1] = args[i] end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

local pages = { "/", "/ideeen/", "/ideeen/?pagina=7", "/ideeen/?kind=korte_klap",
  "/zoeken/?q=bankjes", "/wijk-en-dorpenteams/", "/bewonersbudget/", "/smederijen/" }

request = function()
  counter = counter + 1
  local roll = math.random(100)
  local ref = refs[math.random(#refs)]
  local headers = { ["Cookie"] = "csrftoken=" .. cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded" }
  if roll <= 20 then
    local body = "csrfmiddlewaretoken=" .. token .. "&name=Bewoner+" .. counter ..
      "&email=bewoner" .. math.random(1000000) .. "%40example.org&street=Hoofdstraat&website="
    return wrk.format("POST", "/ideeen/" .. ref .. "/steunen/", headers, body)
  elseif roll <= 30 then
    local body = "csrfmiddlewaretoken=" .. token .. "&name=Bewoner&email=vraag%40example.org" ..
      "&message=Wanneer+vergadert+het+wijkteam%3F&website="
    return wrk.format("POST", "/contact/", headers, body)
  elseif roll <= 50 then
    return wrk.format("GET", "/ideeen/" .. ref .. "/")
  end
  return wrk.format("GET", pages[math.random(#pages)])
end

statuses = {}  -- global: done() reads it from each thread
response = function(status, headers, body)
  local key = tostring(math.floor(status / 100)) .. "xx"
  statuses[key] = (statuses[key] or 0) + 1
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for key, n in pairs(counts) do totals[key] = (totals[key] or 0) + n end
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout,
    totals["2xx"] or 0, totals["3xx"] or 0, totals["4xx"] or 0, totals["5xx"] or 0))
end
