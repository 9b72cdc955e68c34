{#
    Hooks for the sources that dbt-duckdb's `delta` plugin reads (the bronze Delta tables).

    The plugin registers each Delta table as an in-memory Arrow dataset and creates a view over it
    in the source's schema (`bronze`) when a model first reads the source.
#}

{#
    on-run-start: load, one after the other, every plugin source that the selected nodes read.

    dbt-duckdb loads a plugin source lazily, the first time a model renders `source()`, and keeps
    the Arrow dataset in a dict that every new cursor iterates to register it. With threads > 1,
    a source loaded on one thread while another thread opens a cursor fails the latter with
    "dictionary changed size during iteration", and two threads creating the `bronze` schema at
    once fail with a catalog write-write conflict. Loading them all here, before any node runs,
    leaves the threads nothing to race on (re-loading an already known source replaces a dict
    value, which is safe). Only the sources the selection needs are loaded, so a run that selects
    some models does not require every bronze table to exist.
#}
{% macro load_plugin_sources() %}
    {%- if execute -%}
        {%- set selected = selected_resources if selected_resources is defined and selected_resources else graph.nodes.keys() | list -%}
        {%- set needed = [] -%}
        {%- for unique_id in selected if unique_id in graph.nodes -%}
            {%- for parent_id in graph.nodes[unique_id].depends_on.nodes if parent_id.startswith('source.') -%}
                {%- if parent_id not in needed -%}
                    {%- do needed.append(parent_id) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for source_id in needed | sort -%}
            {%- set node = graph.sources[source_id] -%}
            {%- if _is_plugin_source(node) -%}
                {%- do source(node.source_name, node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{#
    on-run-end: drop the source views. The Arrow dataset behind them lives only in the dbt
    session, so a fresh connection to the database file would find views it cannot query; the
    file is left with queryable tables only. The next run re-creates the views as it reads them.
    Runs the statements itself and renders nothing, so it also works as
    `dbt run-operation drop_plugin_source_views` (e.g. after `dbt docs generate`, which has no
    on-run-end hook but re-creates the views while compiling).
#}
{% macro drop_plugin_source_views() %}
    {%- if execute -%}
        {%- for node in graph.sources.values() if _is_plugin_source(node) -%}
            {%- if node.meta.get('materialization', 'view') == 'view' -%}
                {%- do run_query('drop view if exists ' ~ node.relation_name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{% macro _is_plugin_source(node) %}
    {{- return(node.config.get('plugin') or node.meta.get('plugin') or node.source_meta.get('plugin')) -}}
{% endmacro %}
