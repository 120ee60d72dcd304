# QEMU user networking is fixed: guest 10.0.2.15, gateway (the host) 10.0.2.2,
# DNS 10.0.2.3. Static addressing saves a DHCP round trip on every boot.
ip link set lo up
wait_for 50 -e /sys/class/net/eth0 || wharf_error network "no eth0"
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
echo "nameserver 10.0.2.3" > /etc/resolv.conf
milestone network
