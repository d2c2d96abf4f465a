package emulator

// buildRoutes registers every route. Order matters: literal segments under
// /fgs/functions/ come before {function_urn}.
func (e *Emulator) buildRoutes() []route {
	var rs []route
	h := func(m, p string, f func(*reqCtx)) { e.handle(&rs, m, p, f) }

	// IAM
	h("GET", "/v3", e.iamVersion) // also GET /v3/: the matcher ignores a trailing slash
	h("POST", "/v3/auth/tokens", e.iamCreateToken)
	h("GET", "/v3/auth/tokens", e.iamValidateToken)
	h("GET", "/v3/auth/catalog", e.iamCatalog)
	h("GET", "/v3/projects", e.iamProjects)
	h("GET", "/v3/auth/projects", e.iamProjects)
	h("GET", "/v3/auth/domains", e.iamDomains)

	const p = "/v2/{project_id}"
	h("GET", p+"/fgs/quotas", e.quotas)

	h("GET", p+"/fgs/dependencies", e.listDependencies)
	h("POST", p+"/fgs/dependencies", e.createDependency)
	h("POST", p+"/fgs/dependencies/version", e.createDepVersion)
	h("GET", p+"/fgs/dependencies/{depend_id}/version", e.listDepVersions)
	h("GET", p+"/fgs/dependencies/{depend_id}/version/{version}", e.getDepVersion)
	h("DELETE", p+"/fgs/dependencies/{depend_id}/version/{version}", e.deleteDepVersion)
	h("GET", p+"/fgs/dependencies/{depend_id}", e.getDependency)
	h("PUT", p+"/fgs/dependencies/{depend_id}", e.updateDependency)
	h("DELETE", p+"/fgs/dependencies/{depend_id}", e.deleteDependency)

	h("GET", p+"/fgs/functions", e.listFunctions)
	h("POST", p+"/fgs/functions", e.createFunction)
	// literal paths first
	h("GET", p+"/fgs/functions/reservedinstanceconfigs", e.listReservedConfigs)
	h("GET", p+"/fgs/functions/reservedinstances", e.listReservedInstances)
	h("GET", p+"/fgs/functions/statistics", e.statistics)
	h("POST", p+"/fgs/functions/enable-lts-logs", e.enableLTS)
	h("POST", p+"/fgs/functions/import", e.notEmulated)

	const fu = p + "/fgs/functions/{function_urn}"
	h("DELETE", fu, e.deleteFunction)
	h("GET", fu+"/code", e.getCode)
	h("PUT", fu+"/code", e.putCode)
	h("GET", fu+"/config", e.getConfig)
	h("PUT", fu+"/config", e.putConfig)
	h("PUT", fu+"/config-max-instance", e.putMaxInstance)
	h("GET", fu+"/versions", e.listVersions)
	h("POST", fu+"/versions", e.publishVersion)
	h("GET", fu+"/aliases", e.listAliases)
	h("POST", fu+"/aliases", e.createAlias)
	h("GET", fu+"/aliases/{alias_name}", e.getAlias)
	h("PUT", fu+"/aliases/{alias_name}", e.updateAlias)
	h("DELETE", fu+"/aliases/{alias_name}", e.deleteAlias)
	h("GET", fu+"/events", e.listEvents)
	h("POST", fu+"/events", e.createEvent)
	h("GET", fu+"/events/{event_id}", e.getEvent)
	h("PUT", fu+"/events/{event_id}", e.updateEvent)
	h("DELETE", fu+"/events/{event_id}", e.deleteEvent)
	h("GET", fu+"/tracing", e.getTracing)
	h("PUT", fu+"/tracing", e.putTracing)
	h("GET", fu+"/async-invoke-config", e.getAsync)
	h("PUT", fu+"/async-invoke-config", e.putAsync)
	h("DELETE", fu+"/async-invoke-config", e.deleteAsync)
	h("GET", fu+"/async-invoke-configs", e.listAsync)
	h("PUT", fu+"/reservedinstances", e.putReserved)
	h("GET", fu+"/async-invocations", e.listAsyncInvocationRecords)
	h("POST", fu+"/cancel", e.cancelAsyncInvocationRecord)
	h("GET", fu+"/lts-log-detail", e.ltsLogDetail)
	h("POST", fu+"/invocations", e.invokeSync)
	h("POST", fu+"/invocations-async", e.invokeAsync)
	h("GET", fu+"/export", e.exportFunction)
	h("GET", fu+"/statistics/{period}", e.functionStatistics)

	const tu = p + "/fgs/triggers/{function_urn}"
	h("GET", tu, e.listTriggers)
	h("POST", tu, e.createTrigger)
	h("DELETE", tu, e.deleteAllTriggers)
	h("GET", tu+"/{trigger_type_code}/{trigger_id}", e.getTrigger)
	h("PUT", tu+"/{trigger_type_code}/{trigger_id}", e.updateTrigger)
	h("DELETE", tu+"/{trigger_type_code}/{trigger_id}", e.deleteTrigger)

	// tags: no /fgs/ segment; resource_type "functions"
	h("GET", p+"/functions/tags", e.listAllTags)
	h("POST", p+"/functions/resource-instances/{action}", e.resourceInstances)
	h("POST", p+"/functions/{resource_id}/tags/create", e.createTags)
	h("DELETE", p+"/functions/{resource_id}/tags/delete", e.deleteTags)
	return rs
}

func (e *Emulator) notEmulated(c *reqCtx) {
	c.fail(errf(501, "FSS.0501", "This API is not implemented by the emulator."))
}

// The emulator runs no code, so there are never any invocation records. Unknown functions are
// 404 FSS.0404 "can not find function" on these two APIs (§5.13.5, §5.13.6).
