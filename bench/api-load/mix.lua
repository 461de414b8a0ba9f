-- bench/api-load/mix.lua — wrk's side of bench/api-load/run: the same mix as `api-load clients`.
--
--   MMSIS=file DAY_FROM=ms TOKEN=t wrk -t20 -c20 -d60s --timeout 60s -s mix.lua http://127.0.0.1:PORT
--
-- One connection per wrk thread (-t equal to -c): each thread's requests then go one after the
-- other, and wrk calls request() for the next one as soon as the previous answer's last byte is
-- in; so request() times the previous request (from the moment wrk built it to its last byte, as
-- wrk's own latency, plus one turn of wrk's event loop). There is no response(): defining it makes
-- wrk hand every body to Lua as a string, a 2 MB allocation and copy per bbox answer, which
-- doubled the generator's CPU. So per endpoint there are latencies only; wrk's summary counts the
-- answers that were not 2xx/3xx (`status_errors`), and the run script measures body sizes once
-- before the load. The answer in flight when the time is up is not counted (as in wrk).
--
-- Each connection cycles through a bbox vessel query (one of six viewports), one vessel, a day's
-- track and all alerts, starting at its own place in the cycle; vessels are drawn from the MMSIs
-- in $MMSIS (one a line). done() prints the same `key value` lines as `api-load clients`, and the
-- generator's own CPU from /proc/self/stat.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } varde_timespec;
  int clock_gettime(int clk, varde_timespec *tp);
]]
local ts = ffi.new("varde_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

-- Map viewports along the Norwegian coast (the same six as src/clients.rs).
local VIEWPORTS = {
  "4.0,59.5,7.0,61.0",
  "9.0,58.0,12.0,59.5",
  "5.0,62.0,8.0,63.5",
  "12.0,66.5,15.0,68.0",
  "14.5,68.0,17.5,69.5",
  "17.5,69.5,20.5,71.0",
}
local ENDPOINTS = { "bbox", "vessel", "track", "alerts" }

-- The main state: every thread, for done().
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

-- Per thread.
local mmsis, headers, day_from, day_to
local k, which, started = 0, 1, 0
-- Per endpoint i: latencies (µs) in the global lat<i> (flat tables: wrk 4.1's thread:get crashes
-- copying nested ones).
local lat = {}

function init(args)
  mmsis = {}
  for line in io.lines(os.getenv("MMSIS")) do
    mmsis[#mmsis + 1] = line
  end
  day_from = tonumber(os.getenv("DAY_FROM"))
  day_to = day_from + 86400000 - 1
  headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
  k = id
  math.randomseed(id * 7919 + 1)
  for i = 1, #ENDPOINTS do
    lat[i] = {}
    _G["lat" .. i] = lat[i]
  end
end

function request()
  local t = now_us()
  if started > 0 then
    local l = lat[which]
    l[#l + 1] = t - started
  end
  which = k % 4 + 1
  k = k + 1
  local path
  if which == 1 then
    path = "/api/vessels?bbox=" .. VIEWPORTS[math.random(#VIEWPORTS)]
  elseif which == 2 then
    path = "/api/vessels/" .. mmsis[math.random(#mmsis)]
  elseif which == 3 then
    path = "/api/vessels/" .. mmsis[math.random(#mmsis)] .. "/track?from=" .. day_from .. "&to=" .. day_to
  else
    path = "/api/alerts?state=all"
  end
  started = now_us()
  return wrk.format("GET", path, headers)
end

-- Nearest-rank percentile of sorted `xs`, milliseconds.
local function percentile_ms(xs, p)
  if #xs == 0 then return 0 end
  local rank = math.ceil(p / 100 * #xs)
  if rank < 1 then rank = 1 end
  if rank > #xs then rank = #xs end
  return xs[rank] / 1000
end

function done(summary)
  local all = {}
  for i = 1, #ENDPOINTS do
    all[i] = {}
  end
  for _, t in ipairs(threads) do
    for i = 1, #ENDPOINTS do
      local a = all[i]
      for _, v in ipairs(t:get("lat" .. i)) do a[#a + 1] = v end
    end
  end
  local total = 0
  for i, name in ipairs(ENDPOINTS) do
    local a = all[i]
    table.sort(a)
    total = total + #a
    io.write(string.format("endpoint %s n=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      name, #a, percentile_ms(a, 50), percentile_ms(a, 99), percentile_ms(a, 100)))
  end
  io.write(string.format("total_requests %d\n", total))
  io.write(string.format("total_rps %.1f\n", total / (summary.duration / 1e6)))
  io.write(string.format("status_errors %d\n", summary.errors.status))
  io.write(string.format("socket_errors %d\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  -- The generator's own CPU: user + system clock ticks of this process, its threads included.
  local f = io.open("/proc/self/stat")
  if f then
    local stat = f:read("*a")
    f:close()
    local rest = stat:sub(stat:find("%)[^%)]*$") + 2)
    local fields = {}
    for w in rest:gmatch("%S+") do fields[#fields + 1] = w end
    io.write(string.format("client_cpu_ticks %d\n", tonumber(fields[12]) + tonumber(fields[13])))
    io.write(string.format("client_cpu_user_system_ticks %d/%d\n", tonumber(fields[12]), tonumber(fields[13])))
  end
end
