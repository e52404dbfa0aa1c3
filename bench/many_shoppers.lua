-- wrk script: every request comes from another shopper's address, as a surge does
-- through a load balancer (X-Forwarded-For; the shop trusts one proxy in the bench).
-- So per-address limits (the API's throttles) count each shopper, not the bench.
request = function()
  wrk.headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format()
end
