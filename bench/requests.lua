-- wrk script: posts the fhir-samples requests of all three hooks in turn, and prints one machine-readable line.
-- The list of request files comes from the environment (BENCH_REQUESTS, space-separated paths).
local bodies = {}
local paths = {}
local counter = 0

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

for path in string.gmatch(os.getenv("BENCH_REQUESTS") or "", "%S+") do
  local body = read(path)
  local hook = string.match(body, '"hook"%s*:%s*"([%w%-]+)"')
  table.insert(bodies, body)
  table.insert(paths, "/cds-services/hypomagnesemia-" .. hook)
end

request = function()
  counter = counter + 1
  local i = (counter % #bodies) + 1
  return wrk.format("POST", paths[i], {["Content-Type"] = "application/json"}, bodies[i])
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
      + summary.errors.status
  io.write(string.format("RESULT rps=%.0f p50=%.2f p90=%.2f p99=%.2f max=%.2f errors=%d requests=%d\n",
      summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, errors, summary.requests))
end
