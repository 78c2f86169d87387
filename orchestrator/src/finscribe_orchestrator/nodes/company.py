"""Nodes shared by the graphs: resolve the company, gather its data (a peer comparison: nodes/peers.py)."""

from langgraph.runtime import Runtime

from finscribe_orchestrator.context import Context, Scope
from finscribe_orchestrator.data.bundle import found_items
from finscribe_orchestrator.data.company import resolve_company
from finscribe_orchestrator.data.gather import gather_company
from finscribe_orchestrator.errors import RunFailed
from finscribe_orchestrator.messages import say
from finscribe_orchestrator.nodes.demo_gaps import not_in_demo
from finscribe_orchestrator.nodes.peers import gather_peer_data, is_peer_run, resolve_peer_companies
from finscribe_orchestrator.states import CompanyState


async def resolve(state: CompanyState, runtime: Runtime[Context]) -> CompanyState:
    ctx = Scope.of(runtime)
    if is_peer_run(ctx):
        return {"company": await resolve_peer_companies(ctx), **ctx.recorded()}
    query = getattr(ctx.options, "company", None)
    async with ctx.step("resolve", start=0.02, end=0.08) as info:
        resolution = await resolve_company(ctx.clients, query, ctx.request.prompt)
        for service in resolution.failed_services:
            said = resolution.reasons.get(service)
            reason = ctx.say("reason_company_search_said", said=said) if said else ctx.say("reason_company_search")
            ctx.bundle.failed.setdefault(service, reason)
        for warning in resolution.warnings:
            ctx.warn(**warning)
        ctx.bundle.company = resolution.company
        if resolution.company is None:
            info["status"] = "skipped"
            info["detail"] = say("step_company_missing")
            refused = not_in_demo(ctx, query)
            if refused is not None:
                raise refused
            if not resolution.failed_services:
                if query:
                    # The user named a company that does not exist: a report about something
                    # else would be worse than a question, so the run stops and asks.
                    raise RunFailed("company_not_found", ctx.say("failed_company_not_found", name=query))
                ctx.warn("company_not_found")
        else:
            info["detail"] = say("step_company", company=resolution.company.label)
    return {"company": resolution.company.as_dict() if resolution.company else None, **ctx.recorded()}


async def gather(state: CompanyState, runtime: Runtime[Context]) -> CompanyState:
    ctx = Scope.of(runtime)
    if is_peer_run(ctx):
        return {"datasets": await gather_peer_data(ctx), **ctx.recorded()}
    request = ctx.request
    pdf_ids = request.pdf_ids
    use_rag = bool(request.rag_collection) and bool(pdf_ids)
    template = getattr(request, "template", None)  # draft requests only
    async with ctx.step("gather", start=0.1, end=0.3) as info:
        await gather_company(
            ctx.clients,
            ctx.bundle,
            prompt=request.prompt,
            rag_collection=request.rag_collection if use_rag else None,
            pdf_doc_ids=pdf_ids,
            history_days=ctx.settings.price_history_days,
            quarters=template is not None and template.wants_quarters(),
        )
        refused = not_in_demo(ctx, getattr(ctx.options, "company", None))
        if refused is not None:
            raise refused
        ctx.bundle.facts.add_text(request.prompt)
        ctx.warn_failed_services()
        info["detail"] = say("step_datasets", count=len(ctx.bundle.datasets))
        info["items"] = found_items(ctx.bundle)
    return {"datasets": sorted(ctx.bundle.datasets), **ctx.recorded()}
