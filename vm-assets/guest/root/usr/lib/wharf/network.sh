# QEMU user networking is fixed: guest 10.0.2.15, gateway (the host) 10.0.2.2,
# DNS 10.0.2.3. Static addressing saves a DHCP round trip on every boot.
ip link set lo up
wait_for 50 -e /sys/class/net/eth0 || wharf_error network "no eth0"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
# The guest's own resolver (the dns service, dnsmasq on 10.0.2.15) answers
# host.docker.internal for every container; it forwards everything else to QEMU's
# 10.0.2.3. Until it runs (a few hundred ms after sysinit) lookups retry.
echo "nameserver 10.0.2.15" > /etc/resolv.conf
milestone network

# Published ports bound to 127.0.0.1 (`docker run -p 127.0.0.1:H:C`) listen on the
# guest's loopback, which QEMU's user network cannot address: it delivers host
# forwards to 10.0.2.15. Anything still addressed to 10.0.2.15 after Docker's own
# DNAT rules is handed to loopback. Only forwards the host set up reach eth0, and
# the host binds those to 127.0.0.1 too, so loopback stays loopback end to end.
sysctl -qw net.ipv4.conf.eth0.route_localnet=1 || wharf_error network "route_localnet"
iptables -t nat -A PREROUTING -i eth0 -d 10.0.2.15/32 -p tcp -j DNAT --to-destination 127.0.0.1 ||
  wharf_error network "loopback DNAT (tcp)"
iptables -t nat -A PREROUTING -i eth0 -d 10.0.2.15/32 -p udp -j DNAT --to-destination 127.0.0.1 ||
  wharf_error network "loopback DNAT (udp)"
