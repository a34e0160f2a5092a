-- wrk script for the many-sessions workload: BENCH_COOKIES names a file of Cookie header values,
-- one per line. Requests follow BENCH_LANES (the connection count) shuffled orders of all of
-- them, taken in turn, so each cookie comes back as it would from that many clients each cycling
-- through every session in an order of its own (the autocannon path gives each connection one).
local cookies = {}
for line in io.lines(os.getenv("BENCH_COOKIES")) do cookies[#cookies + 1] = line end
local count = #cookies
local lanes = tonumber(os.getenv("BENCH_LANES") or "16")
local orders = {}
math.randomseed(20261206)
for lane = 1, lanes do
  local order = {}
  for i = 1, count do order[i] = i end
  for i = count, 2, -1 do
    local j = math.random(i)
    order[i], order[j] = order[j], order[i]
  end
  orders[lane] = order
end
local sent = 0

request = function()
  local lane = sent % lanes + 1
  local index = math.floor(sent / lanes) % count + 1
  sent = sent + 1
  return wrk.format(nil, nil, { ["Cookie"] = cookies[orders[lane][index]] })
end
