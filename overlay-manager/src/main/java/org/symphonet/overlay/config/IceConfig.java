package org.symphonet.overlay.config;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** STUN and TURN servers used by every tunnel of this node. Both lists may be empty (LAN-only). */
public record IceConfig(List<StunServer> stun, List<TurnServer> turn) {

    public static final IceConfig NONE = new IceConfig(List.of(), List.of());

    public IceConfig {
        stun = Check.list("stun", stun);
        turn = Check.list("turn", turn);
    }

    @JsonCreator
    static IceConfig fromYaml(@JsonProperty("stun") List<StunServer> stun,
                              @JsonProperty("turn") List<TurnServer> turn) {
        return new IceConfig(stun, turn);
    }
}
