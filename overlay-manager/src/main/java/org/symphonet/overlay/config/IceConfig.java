package org.symphonet.overlay.config;

import java.util.List;


/** STUN and TURN servers used by every tunnel of this node. Both lists may be empty (LAN-only). */
public record IceConfig(List<StunServer> stun, List<TurnServer> turn) {

    public static final IceConfig NONE = new IceConfig(List.of(), List.of());

    public IceConfig {
        stun = Check.list("stun", stun);
        turn = Check.list("turn", turn);
    }

    static IceConfig read(YamlTree.Node node) {
        Fields f = Fields.of(node, "stun", "turn");
        return fromYaml(f.list("stun", StunServer::read), f.list("turn", TurnServer::read));
    }

    static IceConfig fromYaml(List<StunServer> stun,
                              List<TurnServer> turn) {
        return new IceConfig(stun, turn);
    }
}
