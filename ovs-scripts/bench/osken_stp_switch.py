# An 802.1D STP learning switch for os-ken: the shape of Ryu's simple_switch_stp_13 example, which
# Debian's python3-os-ken does not ship. The STP peer of `ovs-scripts/bench.sh fabric`:
#   /usr/bin/python3 /usr/bin/osken-manager --ofp-tcp-listen-port P --ofp-listen-host 127.0.0.1 THIS.py
#
# os_ken.lib.stplib runs spanning tree on every switch (BPDUs by packet-out/packet-in) and passes
# on, as EventPacketIn, only frames from ports in the forwarding state; blocked ports carry nothing.
# On a topology change the learned flows are deleted, as in the Ryu example.
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import stplib
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


class StpSwitch13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]
    _CONTEXTS = {'stplib': stplib.Stp}

    def __init__(self, *args, **kwargs):
        super(StpSwitch13, self).__init__(*args, **kwargs)
        self.mac_to_port = {}
        self.stp = kwargs['stplib']

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features_handler(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self.add_flow(dp, 0, parser.OFPMatch(), actions)

    def add_flow(self, dp, priority, match, actions):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=priority, match=match, instructions=inst))

    def delete_flow(self, dp):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        for dst in self.mac_to_port.get(dp.id, {}).keys():
            match = parser.OFPMatch(eth_dst=dst)
            dp.send_msg(parser.OFPFlowMod(dp, command=ofp.OFPFC_DELETE, out_port=ofp.OFPP_ANY,
                                          out_group=ofp.OFPG_ANY, priority=1, match=match))

    @set_ev_cls(stplib.EventPacketIn, MAIN_DISPATCHER)
    def packet_in_handler(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        dst, src = eth.dst, eth.src
        table = self.mac_to_port.setdefault(dp.id, {})
        table[src] = in_port
        out_port = table.get(dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            self.add_flow(dp, 1, parser.OFPMatch(in_port=in_port, eth_dst=dst), actions)
        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=msg.buffer_id, in_port=in_port,
                                        actions=actions, data=data))

    @set_ev_cls(stplib.EventTopologyChange, MAIN_DISPATCHER)
    def topology_change_handler(self, ev):
        dp = ev.dp
        self.delete_flow(dp)
        self.mac_to_port.pop(dp.id, None)
