package io.raftkv.core;

/**
 * Volatile facts about a server that its driver may want to show or act on; never persisted.
 *
 * @param role     the current role
 * @param leaderId the leader of the current term as far as this server knows, or null
 */
public record SoftState(RaftRole role, NodeId leaderId) {}
