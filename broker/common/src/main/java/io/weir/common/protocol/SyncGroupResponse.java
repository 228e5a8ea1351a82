package io.weir.common.protocol;

/** This member's assignment bytes for the generation, as the leader computed them. */
public record SyncGroupResponse(ApiError error, String protocolName, byte[] assignment) {
    public static SyncGroupResponse error(ApiError error) {
        return new SyncGroupResponse(error, null, new byte[0]);
    }
}
