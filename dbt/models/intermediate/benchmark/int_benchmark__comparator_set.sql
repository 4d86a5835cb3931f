-- Comparator set rule: the authorities of the current benchmark/comparators snapshot.
-- The council is the row flagged is_council, or else the area code the council declares
-- (var benchmark_council_area_code); it is always in the set, listed or not.

with listed as (

    select
        area_code,
        min(area_name) as area_name,
        min(comparator_set) as comparator_set,
        bool_or(coalesce(is_council, false)) as flagged_council
    from {{ ref('stg_benchmark__comparators') }}
    group by area_code

),

council as (

    select coalesce(
        (select min(area_code) from listed where flagged_council),
        '{{ var("benchmark_council_area_code") }}') as area_code

)

select
    l.area_code,
    l.area_name,
    l.comparator_set,
    l.area_code = c.area_code as is_council
from listed as l
cross join council as c
union all
select c.area_code, null, null, true
from council as c
where not exists (select 1 from listed as l where l.area_code = c.area_code)
